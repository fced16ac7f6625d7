import type { Collection } from 'mongodb';
import type { Database } from '../../../../lib/mongo.js';

/** An event stored before its review, removed once the bus acknowledged it: the sweeper's whole worklist. */
export interface OutboxDocument {
  _id: string;
  tenantId: string;
  reviewId: string;
  createdAt: Date;
}

export class OutboxRepository {
  readonly collection: Collection<OutboxDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<OutboxDocument>('outbox');
  }

  async ensureIndexes(): Promise<void> {
    // The outbox stays small (entries live for one publish), so scans of it are cheap everywhere.
  }

  async add(entries: OutboxDocument[]): Promise<void> {
    if (entries.length === 0) return;
    const ops = entries.map((entry) => ({ replaceOne: { filter: { _id: entry._id }, replacement: entry, upsert: true } }));
    await this.collection.bulkWrite(ops, { ordered: false });
  }

  async remove(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.collection.deleteOne({ _id: id })));
  }

  /** Entries older than `olderThan`, across tenants, oldest first. */
  async listStale(olderThan: Date, limit: number): Promise<OutboxDocument[]> {
    return this.collection.find({ createdAt: { $lt: olderThan } }).sort({ createdAt: 1 }).limit(limit).toArray();
  }
}
