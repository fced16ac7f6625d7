import type { Collection } from 'mongodb';
import type { Database } from '../../../../lib/mongo.js';

/** Review ids that mention one aspect of one product (with one polarity, or ANY), in the order they were analysed. */
export interface MentionListDocument {
  _id: string;
  tenantId: string;
  reviewIds: string[];
}

/** A precomputed index per (product, aspect, polarity), read with one `_id` lookup on any server. */
export class MentionRepository {
  readonly collection: Collection<MentionListDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<MentionListDocument>('mentions');
  }

  async ensureIndexes(): Promise<void> {
    // Read only by _id.
  }

  async add(tenantId: string, keys: readonly string[], reviewId: string): Promise<void> {
    await Promise.all(keys.map((key) => this.collection.updateOne({ _id: key }, { $setOnInsert: { tenantId }, $addToSet: { reviewIds: reviewId } }, { upsert: true })));
  }

  async remove(tenantId: string, keys: readonly string[], reviewId: string): Promise<void> {
    await Promise.all(keys.map((key) => this.collection.updateOne({ _id: key, tenantId }, { $pull: { reviewIds: reviewId } })));
  }

  async list(tenantId: string, key: string): Promise<string[]> {
    const doc = await this.collection.findOne({ _id: key });
    return doc && doc.tenantId === tenantId ? doc.reviewIds : [];
  }
}
