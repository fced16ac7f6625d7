import type { Collection } from 'mongodb';
import { listPageFilter } from '../../../../lib/list-key.js';
import { insertIfAbsent, retryTransient, type Database } from '../../../../lib/mongo.js';
import { IDEMPOTENCY_CLEANUP_GRACE_MS, idempotencyKeyPrefix, type IdempotencyRecordDocument } from '../models/idempotency-record.js';

/** Uses of `submitReviews` idempotency keys (models/idempotency-record.ts). */
export class IdempotencyRepository {
  readonly collection: Collection<IdempotencyRecordDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<IdempotencyRecordDocument>('idempotency_keys');
  }

  /**
   * Read by `_id` ranges. Expired records are deleted by a TTL index where the server has them
   * (MongoDB), and by the outbox sweeper everywhere (deleteExpired): the embedded FerretDB 1.24
   * refuses `expireAfterSeconds` ("not implemented yet"). Expiry itself is checked on read.
   */
  async ensureIndexes(): Promise<void> {
    try {
      await this.collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: IDEMPOTENCY_CLEANUP_GRACE_MS / 1000, name: 'expires_at_ttl' });
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      if (!(e.code === 238 || (typeof e.message === 'string' && /expireAfterSeconds.*not implemented/i.test(e.message)))) throw error;
    }
  }

  /** The newest use of a key: one `_id` range read. */
  async newest(tenantId: string, key: string): Promise<IdempotencyRecordDocument | null> {
    const [doc] = await retryTransient(() => this.collection.find(listPageFilter<IdempotencyRecordDocument>(idempotencyKeyPrefix(tenantId, key), -1, null), { sort: { _id: -1 }, limit: 1, comment: 'idempotencyKey' }).toArray());
    return doc ?? null;
  }

  /** Claims a generation of a key; false when another call claimed it first. */
  async claim(doc: IdempotencyRecordDocument): Promise<boolean> {
    return insertIfAbsent(this.collection, doc);
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
