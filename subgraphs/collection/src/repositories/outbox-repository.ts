import type { Collection } from 'mongodb';
import type { PublishItem } from '../../../../lib/bus/index.js';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';

/** An event stored before its review, removed once the bus acknowledged it: the sweeper's whole worklist. */
export interface OutboxDocument {
  _id: string;
  tenantId: string;
  reviewId: string;
  createdAt: Date;
  /** The event itself, when it cannot be rebuilt from the review (a deletion). */
  event?: PublishItem;
  /** Set for an edit's `review.updated`: the revision it made (services/review-edits.ts finishes it). */
  revision?: number;
}

export class OutboxRepository {
  readonly collection: Collection<OutboxDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<OutboxDocument>('outbox');
  }

  async ensureIndexes(): Promise<void> {
    // The outbox stays small (entries live for one publish), so scans of it are cheap everywhere.
  }

  /** Records pending events; an entry already there is the same event, so duplicates are ignored. */
  async add(entries: OutboxDocument[]): Promise<void> {
    await insertManyIgnoringDuplicates(this.collection, entries);
  }

  /** One `$in` delete: one scan of the small outbox on FerretDB, one call everywhere. */
  async remove(ids: string[]): Promise<void> {
    if (ids.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: ids } }));
  }

  /** Entries older than `olderThan`, across tenants, oldest first. */
  async listStale(olderThan: Date, limit: number): Promise<OutboxDocument[]> {
    return this.collection.find({ createdAt: { $lt: olderThan } }).sort({ createdAt: 1 }).limit(limit).toArray();
  }
}
