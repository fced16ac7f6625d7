import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { listPageFilter } from '../../../../lib/list-key.js';
import { retryTransient, type Database } from '../../../../lib/mongo.js';
import { idempotencyKeyPrefix, type IdempotencyRecordDocument } from '../models/idempotency-record.js';

/** Uses of `submitReviews` idempotency keys (models/idempotency-record.ts). */
export class IdempotencyRepository {
  readonly collection: Collection<IdempotencyRecordDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<IdempotencyRecordDocument>('idempotency_keys');
  }

  async ensureIndexes(): Promise<void> {
    // Read by _id ranges; expired records are deleted by the outbox sweeper (deleteExpired), since
    // the embedded FerretDB does not expire documents (no TTL monitor), and expiry is also checked on read.
  }

  /** The newest use of a key: one `_id` range read. */
  async newest(tenantId: string, key: string): Promise<IdempotencyRecordDocument | null> {
    const [doc] = await retryTransient(() => this.collection.find(listPageFilter<IdempotencyRecordDocument>(idempotencyKeyPrefix(tenantId, key), -1, null), { sort: { _id: -1 }, limit: 1, comment: 'idempotencyKey' }).toArray());
    return doc ?? null;
  }

  /** Claims a generation of a key; false when another call claimed it first. */
  async claim(doc: IdempotencyRecordDocument): Promise<boolean> {
    try {
      await retryTransient(() => this.collection.insertOne(doc));
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Settles the generation this call claimed (it alone writes it). */
  async settle(id: string, state: 'DONE' | 'FAILED', result: string | null): Promise<void> {
    await retryTransient(() => this.collection.updateOne({ _id: id, state: 'RUNNING' }, { $set: { state, result } }));
  }

  /** Deletes records expired before `before` (a scan of this small collection on FerretDB; run by the sweeper). */
  async deleteExpired(before: Date): Promise<number> {
    const { deletedCount } = await retryTransient(() => this.collection.deleteMany({ expiresAt: { $lt: before } }, { comment: 'deleteExpiredIdempotencyKeys' }));
    return deletedCount;
  }
}
