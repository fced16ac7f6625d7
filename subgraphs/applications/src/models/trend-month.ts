import { createHash } from 'node:crypto';
import type { AspectCounts } from './insights.js';

/** One UTC day of a product's reviews, by the day each review was written. */
export interface DayCounts { count: number; ratingSum: number; POSITIVE: number; NEUTRAL: number; NEGATIVE: number; aspects: Record<string, AspectCounts>; /** 1- and 2-star reviews (absent in buckets written before it was kept). */ low?: number }

/**
 * A product's daily buckets of one calendar month (UTC), under a deterministic id: a year of daily
 * buckets is 12 or 13 point reads, whatever the number of reviews. Keys of `days` are `01`..`31`.
 */
export interface TrendMonthDocument {
  _id: string;
  tenantId: string;
  productId: string;
  month: string;
  days: Record<string, DayCounts>;
  recentEffects: string[];
  version: number;
  updatedAt: Date;
}

/** `_id` of a product's month of daily buckets; `month` is `YYYY-MM`. */
export function trendMonthId(tenantId: string, productId: string, month: string): string {
  return `tm_${createHash('sha256').update(`${tenantId}\u0000${productId}`).digest('hex').slice(0, 24)}_${month}`;
}

export function emptyTrendMonth(tenantId: string, productId: string, month: string, now: Date): TrendMonthDocument {
  return { _id: trendMonthId(tenantId, productId, month), tenantId, productId, month, days: {}, recentEffects: [], version: 0, updatedAt: now };
}
