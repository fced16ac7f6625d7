import type { Collection } from 'mongodb';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import type { Database } from '../../../../lib/mongo.js';
import { emptyInsights, insightsId, type InsightsDocument } from '../models/insights.js';
import type { ReviewChange } from '../models/review-state.js';
import { emptyTrendMonth, trendMonthId, type TrendMonthDocument } from '../models/trend-month.js';
import { foldMonth, foldProduct, reviewDay } from '../services/insights-fold.js';
import { LoggedAggregate, type AggregateChanges } from './logged-aggregate.js';

/** What `applyChanges` did: changes newly counted, and the insights and months it wrote, by `_id`. */
export interface AppliedChanges { applied: number; products: Map<string, InsightsDocument>; months: Map<string, TrendMonthDocument> }

/** A review's change with the product it belongs to. */
export interface ProductChange extends ReviewChange { tenantId: string; productId: string }

function foldProductChange(doc: InsightsDocument, change: ReviewChange) {
  normalise(doc);
  if (change.from) foldProduct(doc, change.from, -1);
  if (change.to) foldProduct(doc, change.to, 1);
}

function foldMonthChange(doc: TrendMonthDocument, change: ReviewChange) {
  if (change.from && reviewDay(change.from).month === doc.month) foldMonth(doc, change.from, -1);
  if (change.to && reviewDay(change.to).month === doc.month) foldMonth(doc, change.to, 1);
}

/**
 * Product insights and daily trend buckets: the aggregates every review change folds into, each a
 * logged aggregate (an append-only log of changes and a materialised document, read and written by `_id`).
 */
export class InsightsRepository {
  readonly collection: Collection<InsightsDocument>;
  readonly months: Collection<TrendMonthDocument>;
  readonly products: LoggedAggregate<InsightsDocument, ReviewChange>;
  readonly monthAggregates: LoggedAggregate<TrendMonthDocument, ReviewChange>;
  private readonly lock = new KeyedLock();

  constructor(readonly database: Database) {
    this.collection = database.db.collection<InsightsDocument>('insights');
    this.months = database.db.collection<TrendMonthDocument>('trend_months');
    this.products = new LoggedAggregate(database, this.collection, 'insights_log', foldProductChange, { packed: ['aspects', 'locales', 'sources', 'quotes'] });
    this.monthAggregates = new LoggedAggregate(database, this.months, 'trend_months_log', foldMonthChange, { split: ['days'] });
  }

  async ensureIndexes(): Promise<void> {
    // Read and written by _id only.
  }

  /**
   * Folds review changes into their products' insights and the months of daily buckets they
   * touch, each change once per aggregate, a few round trips per tenant whatever the number of
   * aggregates; serialised per aggregate in this process (other processes are ordered by the
   * aggregate's log). Returns how many changes were new, and the documents as they now stand
   * (by `_id`; one that had to be written the slow way is absent, and is read when needed).
   */
  async applyChanges(changes: readonly ProductChange[], now = new Date()): Promise<AppliedChanges> {
    const tenants = new Map<string, { products: Map<string, AggregateChanges<InsightsDocument, ReviewChange> & { changes: ReviewChange[] }>; months: Map<string, AggregateChanges<TrendMonthDocument, ReviewChange> & { changes: ReviewChange[] }> }>();
    for (const { tenantId, productId, ...change } of changes) {
      const tenant = tenants.get(tenantId) ?? { products: new Map(), months: new Map() };
      tenants.set(tenantId, tenant);
      const pid = insightsId(tenantId, productId);
      const product = tenant.products.get(pid) ?? { id: pid, create: () => emptyInsights(tenantId, productId, now), changes: [] };
      tenant.products.set(pid, product);
      product.changes.push(change);
      for (const month of new Set([change.from, change.to].flatMap((r) => (r ? [reviewDay(r).month] : [])))) {
        const mid = trendMonthId(tenantId, productId, month);
        const entry = tenant.months.get(mid) ?? { id: mid, create: () => emptyTrendMonth(tenantId, productId, month, now), changes: [] };
        tenant.months.set(mid, entry);
        entry.changes.push(change);
      }
    }
    const result: AppliedChanges = { applied: 0, products: new Map(), months: new Map() };
    for (const [tenantId, { products, months }] of tenants) {
      await this.holding([...products.keys(), ...months.keys()], async () => {
        const [counted, folded] = await Promise.all([
          this.products.applyMany(tenantId, [...products.values()], now),
          this.monthAggregates.applyMany(tenantId, [...months.values()], now),
        ]);
        for (const n of counted.applied.values()) result.applied += n;
        for (const [id, doc] of counted.current) result.products.set(id, normalise(doc));
        for (const [id, doc] of folded.current) result.months.set(id, doc);
      });
    }
    return result;
  }

  /** Forgets the documents this process remembers of its writes (a rebuild rewrote them). */
  forgetKnown(): void {
    this.products.forgetKnown();
    this.monthAggregates.forgetKnown();
  }

  /** Runs `work` holding the in-process lock of every key (taken in order, so two holders never wait on each other). */
  private holding<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    return [...new Set(keys)].sort().reduceRight<() => Promise<T>>((inner, key) => () => this.lock.run(key, inner), work)();
  }

  /** Insights of many products. */
  async findByProductIds(tenantId: string, productIds: readonly string[]): Promise<Map<string, InsightsDocument>> {
    const byInsightId = await this.products.current(tenantId, productIds.map((id) => insightsId(tenantId, id)));
    return new Map([...byInsightId.values()].map((doc) => [doc.productId, normalise(doc)]));
  }

  /** A product's months of daily buckets (`YYYY-MM`), by month; months without reviews are absent. */
  async findMonths(tenantId: string, productId: string, months: readonly string[]): Promise<Map<string, TrendMonthDocument>> {
    const found = await this.monthAggregates.current(tenantId, months.map((m) => trendMonthId(tenantId, productId, m)));
    return new Map([...found.values()].map((doc) => [doc.month, doc]));
  }
}

/** Documents written before aspects, locales and quotes were kept read as having none. */
function normalise(doc: InsightsDocument): InsightsDocument {
  doc.aspects ??= {};
  doc.locales ??= {};
  doc.sources ??= {};
  doc.quotes ??= {};
  return doc;
}
