import type { Collection } from 'mongodb';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import { findByIds, type Database } from '../../../../lib/mongo.js';
import { insightsId, type InsightsDocument } from '../models/insights.js';

/** Increments of one event's effect on a product's insights. */
export type InsightsIncrements = Record<string, number>;

const ZERO = {
  reviewCount: 0,
  ratingSum: 0,
  ratings: { r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 },
  sentiment: { POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 },
  analyzedCount: 0,
  appliedEvents: [] as string[],
};

export class InsightsRepository {
  readonly collection: Collection<InsightsDocument>;
  private readonly lock = new KeyedLock();

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<InsightsDocument>('insights');
  }

  async ensureIndexes(): Promise<void> {
    // Read and written only by _id.
  }

  /**
   * Applies an event's increments once: the filter excludes documents that already list `effectKey`,
   * so the check and the write are one atomic operation. Returns false when it was already applied.
   */
  async applyOnce(tenantId: string, productId: string, effectKey: string, increments: InsightsIncrements, now = new Date()): Promise<boolean> {
    const _id = insightsId(tenantId, productId);
    return this.lock.run(_id, () => this.applyLocked(_id, tenantId, productId, effectKey, increments, now));
  }

  private async applyLocked(_id: string, tenantId: string, productId: string, effectKey: string, increments: InsightsIncrements, now: Date): Promise<boolean> {
    await this.collection.updateOne({ _id }, { $setOnInsert: { tenantId, productId, ...ZERO, updatedAt: now } }, { upsert: true }).catch((error: { code?: number }) => {
      if (error.code !== 11000) throw error; // a concurrent first event created it
    });
    const result = await this.collection.updateOne(
      { _id, tenantId, appliedEvents: { $ne: effectKey } },
      { $inc: increments, $push: { appliedEvents: effectKey }, $set: { updatedAt: now } },
    );
    return result.modifiedCount === 1;
  }

  /** Insights of many products, without the effect-key ledger. */
  async findByProductIds(tenantId: string, productIds: readonly string[]): Promise<Map<string, InsightsDocument>> {
    const byInsightId = await findByIds(this.database, this.collection, tenantId, productIds.map((id) => insightsId(tenantId, id)));
    return new Map([...byInsightId.values()].map((doc) => [doc.productId, doc]));
  }
}
