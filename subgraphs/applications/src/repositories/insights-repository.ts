import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import { findByIds, type Database } from '../../../../lib/mongo.js';
import { insightsId, type InsightsDocument } from '../models/insights.js';

/** Increments of one event's effect on a product's insights, by dotted field path. */
export type InsightsIncrements = Record<string, number>;

interface LedgerDocument { _id: string; tenantId: string; appliedAt: Date }

const RECENT_EFFECTS = 100;
const MAX_ATTEMPTS = 20;

export class InsightsRepository {
  readonly collection: Collection<InsightsDocument>;
  readonly ledger: Collection<LedgerDocument>;
  private readonly lock = new KeyedLock();

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<InsightsDocument>('insights');
    this.ledger = database.db.collection<LedgerDocument>('applied_effects');
  }

  async ensureIndexes(): Promise<void> {
    // Both collections are read and written only by _id.
  }

  /**
   * Applies an event's increments to a product's insights at most once; returns false when the
   * effect was already applied. Writes are serialised per product in this process and guarded by a
   * version check across processes, since FerretDB loses concurrent read-modify-write updates.
   */
  async applyOnce(tenantId: string, productId: string, effectKey: string, increments: InsightsIncrements, now = new Date()): Promise<boolean> {
    const ledgerId = `${tenantId}|${effectKey}`;
    if (await this.ledger.findOne({ _id: ledgerId })) return false;
    const _id = insightsId(tenantId, productId);
    const applied = await this.lock.run(_id, () => this.applyLocked(_id, tenantId, productId, effectKey, increments, now));
    await this.ledger.insertOne({ _id: ledgerId, tenantId, appliedAt: now }).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    return applied;
  }

  private async applyLocked(_id: string, tenantId: string, productId: string, effectKey: string, increments: InsightsIncrements, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = (await this.collection.findOne({ _id })) ?? (await this.create(_id, tenantId, productId, now));
      if (doc.tenantId !== tenantId) throw new Error(`insights ${_id} belongs to another tenant`);
      if (doc.recentEffects.includes(effectKey)) return false;
      const recentEffects = [...doc.recentEffects, effectKey].slice(-RECENT_EFFECTS);
      const result = await this.collection.updateOne(
        { _id, version: doc.version },
        { $inc: { ...increments, version: 1 }, $set: { recentEffects, updatedAt: now } },
      );
      if (result.modifiedCount === 1) return true;
    }
    throw new Error(`insights ${_id} kept changing under concurrent writers; the event will be retried`);
  }

  private async create(_id: string, tenantId: string, productId: string, now: Date): Promise<InsightsDocument> {
    const fresh: InsightsDocument = {
      _id, tenantId, productId, reviewCount: 0, ratingSum: 0,
      ratings: { r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 },
      sentiment: { POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 },
      analyzedCount: 0, recentEffects: [], version: 0, updatedAt: now,
    };
    try {
      await this.collection.insertOne(fresh);
      return fresh;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.collection.findOne({ _id });
      if (!existing) throw error;
      return existing;
    }
  }

  /** Insights of many products. */
  async findByProductIds(tenantId: string, productIds: readonly string[]): Promise<Map<string, InsightsDocument>> {
    const byInsightId = await findByIds(this.database, this.collection, tenantId, productIds.map((id) => insightsId(tenantId, id)));
    return new Map([...byInsightId.values()].map((doc) => [doc.productId, doc]));
  }
}
