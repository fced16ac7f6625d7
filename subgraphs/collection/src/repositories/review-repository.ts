import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { findByIds, type Database } from '../../../../lib/mongo.js';
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
    const existing = new Set<string>();
    if (reviews.length === 0) return existing;
    try {
      await this.collection.insertMany(reviews, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }> }).writeErrors;
      if (!writeErrors) throw error;
      for (const writeError of writeErrors) {
        const code = writeError.code ?? writeError.err?.code;
        if (code !== 11000) throw error;
        existing.add(reviews[writeError.index]!._id);
      }
    }
    return existing;
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

  async deleteByIds(tenantId: string, ids: string[]): Promise<void> {
    const ops: AnyBulkWriteOperation<ReviewDocument>[] = ids.map((id) => ({ deleteOne: { filter: { _id: id, tenantId } } }));
    if (ops.length > 0) await this.collection.bulkWrite(ops, { ordered: false });
  }
}

