import type { Collection } from 'mongodb';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { ReviewDocument } from '../models/review.js';

export interface ReviewCursor { createdAt: Date; id: string }

export class ReviewRepository {
  readonly collection: Collection<ReviewDocument>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ReviewDocument>('reviews');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, productId: 1, createdAt: -1, _id: -1 }, { name: 'tenant_product_newest' });
  }

  /** Inserts new reviews; returns the ids that already existed (same source + externalId), untouched. */
  async insertNew(reviews: ReviewDocument[]): Promise<Set<string>> {
    const duplicates = await insertManyIgnoringDuplicates(this.collection, reviews);
    return new Set([...duplicates].map((index) => reviews[index]!._id));
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, ReviewDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** Newest-first page of one product's reviews, keyset-paginated on (createdAt, _id). */
  async listByProduct(tenantId: string, productId: string, limit: number, after: ReviewCursor | null): Promise<ReviewDocument[]> {
    const filter = after
      ? { tenantId, productId, $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] }
      : { tenantId, productId };
    return this.collection.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
  }

  /** One `$in` delete (one call; with `tenantId` in the filter it scans on FerretDB either way). */
  async deleteByIds(tenantId: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: [...ids] }, tenantId }));
  }
}
