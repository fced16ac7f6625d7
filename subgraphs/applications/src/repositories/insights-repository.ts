import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { insightsId, type InsightsDocument } from '../models/insights.js';

/** Increments of one event's effect on a product's insights, by dotted field path. */
export type InsightsIncrements = Record<string, number>;

/** What one event changes in one product's insights, and the key that makes it count once. */
export interface InsightsEffect { tenantId: string; productId: string; key: string; increments: InsightsIncrements }

interface LedgerDocument { _id: string; tenantId: string; appliedAt: Date }

const RECENT_EFFECTS = 500;
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
   * Applies event effects to product insights, each at most once; returns, per effect, whether it
   * changed the counts now (false: applied before). Effects of one product are summed into one
   * version-checked update, serialised per product in this process, since FerretDB loses concurrent
   * read-modify-write updates; the ledger is written after, in one insert.
   */
  async applyEffects(effects: readonly InsightsEffect[], now = new Date()): Promise<boolean[]> {
    const ledgerId = (e: InsightsEffect) => `${e.tenantId}|${e.key}`;
    const unique = [...new Map(effects.map((e) => [ledgerId(e), e])).values()];
    const seen = new Set<string>();
    for (const [tenantId, group] of groupBy(unique, (e) => e.tenantId)) {
      for (const id of (await findByIds(this.database, this.ledger, tenantId, group.map(ledgerId))).keys()) seen.add(id);
    }
    const pending = unique.filter((e) => !seen.has(ledgerId(e)));
    const appliedNow = new Set<string>();
    await Promise.all([...groupBy(pending, (e) => insightsId(e.tenantId, e.productId))].map(([id, group]) => this.lock.run(id, async () => {
      const fresh = await this.applyLocked(id, group[0]!.tenantId, group[0]!.productId, group, now);
      group.forEach((e, i) => fresh[i] && appliedNow.add(ledgerId(e)));
    })));
    await insertManyIgnoringDuplicates(this.ledger, pending.map((e) => ({ _id: ledgerId(e), tenantId: e.tenantId, appliedAt: now })));
    const reported = new Set<string>();
    return effects.map((e) => {
      const id = ledgerId(e);
      const first = appliedNow.has(id) && !reported.has(id);
      reported.add(id);
      return first;
    });
  }

  private async applyLocked(_id: string, tenantId: string, productId: string, effects: InsightsEffect[], now: Date): Promise<boolean[]> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const doc = (await this.collection.findOne({ _id })) ?? (await this.create(_id, tenantId, productId, now));
      if (doc.tenantId !== tenantId) throw new Error(`insights ${_id} belongs to another tenant`);
      const fresh = effects.map((e) => !doc.recentEffects.includes(e.key));
      const increments: InsightsIncrements = { version: 1 };
      effects.forEach((e, i) => {
        if (!fresh[i]) return;
        for (const [field, by] of Object.entries(e.increments)) increments[field] = (increments[field] ?? 0) + by;
      });
      const recentEffects = [...doc.recentEffects, ...effects.filter((_, i) => fresh[i]).map((e) => e.key)].slice(-RECENT_EFFECTS);
      const result = await retryTransient(() => this.collection.updateOne({ _id, version: doc.version }, { $inc: increments, $set: { recentEffects, updatedAt: now } }));
      if (result.modifiedCount === 1) return fresh;
    }
    throw new Error(`insights ${_id} kept changing under concurrent writers; the events will be retried`);
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

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
