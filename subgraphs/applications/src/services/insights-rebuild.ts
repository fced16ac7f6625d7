import type { Collection } from 'mongodb';
import { retryTransient, type Database } from '../../../../lib/mongo.js';
import { emptyInsights, type InsightsDocument } from '../models/insights.js';
import { countedReview, type CountedReview, type ReviewStateDocument } from '../models/review-state.js';
import { emptyTrendMonth, trendMonthId, type TrendMonthDocument } from '../models/trend-month.js';
import type { InsightsRepository } from '../repositories/insights-repository.js';
import type { ReviewStateRepository } from '../repositories/review-state-repository.js';
import { foldMonth, foldProduct, reviewDay } from './insights-fold.js';

/** A product's insights and daily buckets computed from scratch over its counted reviews. */
export function recompute(tenantId: string, productId: string, reviews: readonly CountedReview[], now = new Date(0)): { insights: InsightsDocument; months: Map<string, TrendMonthDocument> } {
  const insights = emptyInsights(tenantId, productId, now);
  const months = new Map<string, TrendMonthDocument>();
  for (const review of reviews) {
    foldProduct(insights, review, 1);
    const { month } = reviewDay(review);
    const doc = months.get(month) ?? emptyTrendMonth(tenantId, productId, month, now);
    months.set(month, doc);
    foldMonth(doc, review, 1);
  }
  return { insights, months };
}

interface ProgressDocument { _id: string; afterId: string | null; products: number; reviews: number; startedAt: Date; finishedAt: Date | null; heartbeatAt?: Date | null }

/** A rebuild that wrote no heartbeat for this long (it crashed, or was stopped) no longer holds the consumer. */
const HEARTBEAT_STALE_MS = 30_000;
const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Whether a rebuild is running now (the insights consumer holds its batches meanwhile), and a marker of its progress that changes whenever a rebuild
 * has written (null: none ever ran): the consumer forgets the documents it remembers when it moves.
 */
export async function rebuildStatus(database: Database, now = Date.now()): Promise<{ running: boolean; marker: string | null }> {
  const progress = await database.db.collection<ProgressDocument>('rebuild_progress').findOne({ _id: PROGRESS_ID }, { comment: 'rebuildProgress' });
  if (!progress) return { running: false, marker: null };
  const running = !progress.finishedAt && !!progress.heartbeatAt && now - progress.heartbeatAt.getTime() < HEARTBEAT_STALE_MS;
  return { running, marker: JSON.stringify([progress.startedAt, progress.afterId, progress.products, progress.reviews, progress.finishedAt]) };
}

export interface RebuildProgress { products: number; reviews: number; done: boolean }

const PAGE = 500;
const PROGRESS_ID = 'rebuild-insights';

/**
 * Recomputes every product's insights and daily buckets from the stored review states, product by
 * product (a product's states are one `_id` range), replacing what the consumer folded. Resumable:
 * a progress document remembers the last finished product, and a product is rewritten whole, so a
 * rerun after a crash redoes at most the product it was in. Run it with the insights consumer
 * stopped, since a change folded while a product is rewritten would be overwritten.
 */
export async function rebuildInsights(repos: { insights: InsightsRepository; states: ReviewStateRepository }, opts: { restart?: boolean; signal?: AbortSignal; graceMs?: number; onProgress?: (p: RebuildProgress) => void; now?: Date } = {}): Promise<RebuildProgress> {
  const progressCollection = repos.insights.database.db.collection<ProgressDocument>('rebuild_progress');
  let progress = opts.restart ? null : await progressCollection.findOne({ _id: PROGRESS_ID });
  if (!progress || progress.finishedAt) progress = { _id: PROGRESS_ID, afterId: null, products: 0, reviews: 0, startedAt: new Date(), finishedAt: null };
  progress.heartbeatAt = new Date();
  await progressCollection.replaceOne({ _id: PROGRESS_ID }, progress, { upsert: true });
  const heartbeat = setInterval(() => {
    void progressCollection.updateOne({ _id: PROGRESS_ID, finishedAt: null }, { $set: { heartbeatAt: new Date() } }).catch(() => undefined);
  }, HEARTBEAT_EVERY_MS);
  try {
    // Batches the consumer began before it saw the heartbeat finish first.
    await new Promise((resolve) => setTimeout(resolve, opts.graceMs ?? 3_000));
    return await rebuildAll(repos, progressCollection, progress, opts);
  } finally {
    clearInterval(heartbeat);
    await progressCollection.updateOne({ _id: PROGRESS_ID }, { $set: { heartbeatAt: null } });
  }
}

async function rebuildAll(repos: { insights: InsightsRepository; states: ReviewStateRepository }, progressCollection: Collection<ProgressDocument>, progress: ProgressDocument, opts: { signal?: AbortSignal; onProgress?: (p: RebuildProgress) => void; now?: Date }): Promise<RebuildProgress> {
  const now = opts.now ?? new Date();
  let current = null as { prefix: string; tenantId: string; productId: string; states: ReviewStateDocument[] } | null;
  const finishProduct = async () => {
    if (!current) return;
    await writeProduct(repos, current.tenantId, current.productId, current.states, now);
    progress.afterId = `${current.prefix}~`;
    progress.products += 1;
    progress.reviews += current.states.length;
    await progressCollection.replaceOne({ _id: PROGRESS_ID }, progress);
    opts.onProgress?.({ products: progress.products, reviews: progress.reviews, done: false });
  };
  for (;;) {
    const after: string | null = current?.states.at(-1)?._id ?? progress.afterId;
    const page: ReviewStateDocument[] = await repos.states.pageAfter(after, PAGE);
    if (opts.signal?.aborted) return { products: progress.products, reviews: progress.reviews, done: false };
    for (const state of page) {
      const prefix = state.stateId.slice(0, state.stateId.lastIndexOf('_') + 1);
      if (current && current.prefix !== prefix) {
        await finishProduct();
        current = null;
        if (opts.signal?.aborted) return { products: progress.products, reviews: progress.reviews, done: false };
      }
      current ??= { prefix, tenantId: state.tenantId, productId: state.productId, states: [] };
      current.states.push(state);
    }
    if (page.length < PAGE) break;
  }
  await finishProduct();
  progress.finishedAt = new Date();
  progress.heartbeatAt = null;
  await progressCollection.replaceOne({ _id: PROGRESS_ID }, progress);
  const result = { products: progress.products, reviews: progress.reviews, done: true };
  opts.onProgress?.(result);
  return result;
}

async function writeProduct(repos: { insights: InsightsRepository; states: ReviewStateRepository }, tenantId: string, productId: string, states: ReviewStateDocument[], now: Date) {
  // Versions come in _id order: the last of each review is its current one.
  const latest = new Map<string, ReviewStateDocument>();
  for (const state of states) latest.set(state.stateId, state);
  const counted = [...latest.values()].map((s) => countedReview(s.reviewId, s)).filter((r): r is CountedReview => r !== null);
  const { insights, months } = recompute(tenantId, productId, counted, now);
  const productAggregate = insights._id;
  const current = (await repos.insights.products.current(tenantId, [productAggregate])).get(productAggregate);
  await replaceAggregate(repos.insights.collection, { ...insights, recentEffects: current?.recentEffects ?? [], version: current?.version ?? 0 });
  const monthPrefix = trendMonthId(tenantId, productId, '');
  const storedMonthIds = (await repos.insights.months.find({ _id: { $gt: monthPrefix, $lt: `${monthPrefix}~` } }, { projection: { _id: 1 }, comment: 'monthsOfProduct' }).toArray()).map((m) => m._id);
  const currentMonths = await repos.insights.monthAggregates.current(tenantId, [...new Set([...storedMonthIds, ...[...months.values()].map((m) => m._id)])]);
  for (const old of currentMonths.values()) {
    const doc = months.get(old.month) ?? { ...old, days: {} };
    await replaceAggregate(repos.insights.months, { ...doc, recentEffects: old.recentEffects, version: old.version });
  }
  for (const doc of months.values()) if (!currentMonths.has(doc._id)) await replaceAggregate(repos.insights.months, doc);
  // The recomputation counts every review's current version, so every change is in.
  await repos.states.markApplied(tenantId, states.filter((s) => s.change).map((s) => s._id));
}

async function replaceAggregate<T extends { _id: string }>(collection: Collection<T>, doc: T): Promise<void> {
  await retryTransient(() => collection.replaceOne({ _id: doc._id } as never, doc as never, { upsert: true }));
}
