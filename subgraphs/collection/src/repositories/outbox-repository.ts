import { randomBytes } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';
import type { PublishItem } from '../../../../lib/bus/index.js';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { submittedEventId } from '../models/review.js';

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

/**
 * The `review.submitted` events of one intake batch, pending as one outbox document (one insert
 * and one delete per batch instead of one of each per review). The sweeper never sees it: a stale
 * one is first turned into one entry per review (see `listStale`).
 */
export interface SubmittedBatchDocument {
  _id: string;
  tenantId: string;
  /** The review ids, comma-separated: FerretDB reads and deletes a long array many times slower than a string. */
  submittedReviews: string;
  createdAt: Date;
}

/** A batch entry as the request that wrote it holds it. */
export interface PendingSubmittedBatch { id: string; tenantId: string; reviewIds: readonly string[]; createdAt: Date }

export class OutboxRepository {
  readonly collection: Collection<OutboxDocument>;
  private readonly batches: Collection<SubmittedBatchDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<OutboxDocument>('outbox');
    this.batches = database.db.collection<SubmittedBatchDocument>('outbox');
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

  /** Records the `review.submitted` events of `reviewIds` as pending, in one document. */
  async addSubmittedBatch(tenantId: string, reviewIds: readonly string[], createdAt: Date): Promise<PendingSubmittedBatch> {
    const batch = { id: `submitted-batch:${randomBytes(12).toString('hex')}`, tenantId, reviewIds: [...reviewIds], createdAt };
    if (batch.reviewIds.length > 0) await insertManyIgnoringDuplicates(this.batches, [{ _id: batch.id, tenantId, submittedReviews: batch.reviewIds.join(','), createdAt }]);
    return batch;
  }

  /**
   * Settles a batch entry after its publish: gone once every event is among `publishedIds`; kept for
   * the sweeper when none is; otherwise the reviews whose event is missing get entries of their own
   * (written first), so the sweeper republishes only those.
   */
  async settleSubmittedBatch(batch: PendingSubmittedBatch, publishedIds: readonly string[]): Promise<void> {
    const published = new Set(publishedIds);
    const left = batch.reviewIds.filter((id) => !published.has(submittedEventId(id)));
    if (left.length === batch.reviewIds.length) return;
    await this.add(left.map((reviewId) => ({ _id: submittedEventId(reviewId), tenantId: batch.tenantId, reviewId, createdAt: batch.createdAt })));
    await retryTransient(() => this.batches.deleteOne({ _id: batch.id }));
  }

  /**
   * Entries older than `olderThan`, across tenants, oldest first. Stale batch entries (their request
   * died or could not publish) are first split into one entry per review, written before the batch
   * entry is deleted, so a crash in between leaves both, and the next sweep splits it again.
   */
  async listStale(olderThan: Date, limit: number): Promise<OutboxDocument[]> {
    const stale = await this.batches.find({ createdAt: { $lt: olderThan }, submittedReviews: { $exists: true } }, { comment: 'staleSubmittedBatches' }).toArray();
    for (const batch of stale) {
      await this.add(batch.submittedReviews.split(',').map((reviewId) => ({ _id: submittedEventId(reviewId), tenantId: batch.tenantId, reviewId, createdAt: batch.createdAt })));
      await retryTransient(() => this.batches.deleteOne({ _id: batch._id }));
    }
    return this.collection.find({ createdAt: { $lt: olderThan }, submittedReviews: { $exists: false } } as Filter<OutboxDocument>).sort({ createdAt: 1 }).limit(limit).toArray();
  }
}
