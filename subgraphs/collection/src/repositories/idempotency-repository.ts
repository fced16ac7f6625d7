import type { Collection } from 'mongodb';
import { listPageFilter } from '../../../../lib/list-key.js';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { EXPIRY_BACKFILL_MARKER, expiredBeforeFilter, idempotencyExpiryEntry, type IdempotencyExpiryDocument } from '../models/idempotency-expiry.js';
import { IDEMPOTENCY_CLEANUP_GRACE_MS, idempotencyKeyPrefix, type IdempotencyRecordDocument } from '../models/idempotency-record.js';

/** Expired records deleted per read of the expiry list, and reads per sweep. */
const EXPIRY_PAGE = 500;
const EXPIRY_PAGES_PER_SWEEP = 10;

/** Uses of `submitReviews` idempotency keys (models/idempotency-record.ts). */
export class IdempotencyRepository {
  readonly collection: Collection<IdempotencyRecordDocument>;
  /** The expiry list, kept in the same collection (models/idempotency-expiry.ts). */
  private readonly expiry: Collection<IdempotencyExpiryDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<IdempotencyRecordDocument>('idempotency_keys');
    this.expiry = database.db.collection<IdempotencyExpiryDocument>('idempotency_keys');
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
    await this.backfillExpiry();
  }

  /** Records stored before the expiry list existed get their entries: one read of them, once per store. */
  private async backfillExpiry(): Promise<void> {
    if (await this.expiry.findOne({ _id: EXPIRY_BACKFILL_MARKER }, { projection: { _id: 1 } })) return;
    let entries: IdempotencyExpiryDocument[] = [];
    for await (const record of this.collection.find({ _id: { $gt: 'ik|', $lt: 'ik}' } }, { projection: { _id: 1, expiresAt: 1 }, comment: 'backfillIdempotencyExpiry' })) {
      entries.push(idempotencyExpiryEntry(record._id, record.expiresAt));
      if (entries.length >= 1_000) {
        await insertManyIgnoringDuplicates(this.expiry, entries);
        entries = [];
      }
    }
    await insertManyIgnoringDuplicates(this.expiry, entries);
    await insertManyIgnoringDuplicates(this.collection.db.collection<{ _id: string }>(this.collection.collectionName), [{ _id: EXPIRY_BACKFILL_MARKER }]);
  }

  /** The newest use of a key: one `_id` range read. */
  async newest(tenantId: string, key: string): Promise<IdempotencyRecordDocument | null> {
    const [doc] = await retryTransient(() => this.collection.find(listPageFilter<IdempotencyRecordDocument>(idempotencyKeyPrefix(tenantId, key), -1, null), { sort: { _id: -1 }, limit: 1, comment: 'idempotencyKey' }).toArray());
    return doc ?? null;
  }

  /**
   * Claims a generation of a key; false when another call claimed it first. The record's expiry
   * entry goes in the same insert, ahead of it (FerretDB and MongoDB apply an insert's documents in
   * order), so no record is ever stored without one.
   */
  async claim(doc: IdempotencyRecordDocument): Promise<boolean> {
    const duplicates = await insertManyIgnoringDuplicates<IdempotencyRecordDocument | IdempotencyExpiryDocument>(this.collection as Collection<IdempotencyRecordDocument | IdempotencyExpiryDocument>, [idempotencyExpiryEntry(doc._id, doc.expiresAt), doc]);
    return !duplicates.has(1);
  }

  /** Settles the generation this call claimed (it alone writes it). */
  async settle(id: string, state: 'DONE' | 'FAILED', result: string | null): Promise<void> {
    await retryTransient(() => this.collection.updateOne({ _id: id, state: 'RUNNING' }, { $set: { state, result } }));
  }

  /**
   * Deletes records expired before `before` (run by the sweeper): `_id` range reads of the expiry
   * list, soonest first, and `_id` deletes of what they name, so a sweep costs what it deletes, not
   * what is stored. An entry goes after its record, so a sweep cut short leaves it for the next.
   */
  async deleteExpired(before: Date): Promise<number> {
    let deleted = 0;
    for (let page = 0; page < EXPIRY_PAGES_PER_SWEEP; page++) {
      const due = await retryTransient(() => this.expiry.find(expiredBeforeFilter(before), { sort: { _id: 1 }, limit: EXPIRY_PAGE, comment: 'dueIdempotencyExpiry' }).toArray());
      if (due.length === 0) break;
      const records = await retryTransient(() => this.collection.find({ _id: { $in: [...new Set(due.map((e) => e.recordId))] } }, { projection: { _id: 1, expiresAt: 1 }, comment: 'expiringIdempotencyKeys' }).toArray());
      // A claim that lost its race wrote an entry for the winner's record, whose expiry may come later: it gets its own.
      await insertManyIgnoringDuplicates(this.expiry, records.filter((r) => r.expiresAt.getTime() >= before.getTime()).map((r) => idempotencyExpiryEntry(r._id, r.expiresAt)));
      const expired = records.filter((r) => r.expiresAt.getTime() < before.getTime()).map((r) => r._id);
      if (expired.length > 0) deleted += (await retryTransient(() => this.collection.deleteMany({ _id: { $in: expired }, expiresAt: { $lt: before } }, { comment: 'deleteExpiredIdempotencyKeys' }))).deletedCount;
      await retryTransient(() => this.expiry.deleteMany({ _id: { $in: due.map((e) => e._id) } }, { comment: 'deleteIdempotencyExpiryEntries' }));
      if (due.length < EXPIRY_PAGE) break;
    }
    return deleted;
  }
}
