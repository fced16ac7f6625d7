import type { Collection } from 'mongodb';
import { findByIds, retryTransient, type Database } from '../../../../lib/mongo.js';

/**
 * How often the review behind one (source, externalId) was deleted, keyed by that pair's first review
 * id. A resubmission after a deletion is a new incarnation with a new review id (models/review.ts),
 * so its events are new to the bus and to every consumer, while the old id stays deleted downstream.
 */
export interface ReviewTombstoneDocument {
  _id: string;
  tenantId: string;
  deletions: number;
  deletedAt: Date;
}

export class ReviewTombstoneRepository {
  readonly collection: Collection<ReviewTombstoneDocument>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ReviewTombstoneDocument>('review_tombstones');
  }

  async ensureIndexes(): Promise<void> {
    // Read and written by _id only.
  }

  /** Deletions so far per base review id; ids never deleted are absent. */
  async deletionsOf(tenantId: string, baseIds: readonly string[]): Promise<Map<string, number>> {
    const found = await findByIds(this.database, this.collection, tenantId, baseIds);
    return new Map([...found].map(([id, doc]) => [id, doc.deletions]));
  }

  /** Records that incarnation `incarnation` of each base id is deleted; repeating it changes nothing. */
  async recordDeletions(tenantId: string, items: ReadonlyArray<{ baseId: string; incarnation: number }>, now = new Date()): Promise<void> {
    await Promise.all(items.map(({ baseId, incarnation }) => retryTransient(() => this.collection.updateOne(
      { _id: baseId, tenantId },
      { $max: { deletions: incarnation + 1 }, $set: { deletedAt: now } },
      { upsert: true, comment: 'recordDeletions' },
    ))));
  }
}
