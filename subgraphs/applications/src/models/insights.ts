import { createHash } from 'node:crypto';

export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
export type QuotePolarity = 'POSITIVE' | 'NEGATIVE';

/** Reviews mentioning an aspect, by the polarity the review expresses about it (one vote per review). */
export interface AspectCounts { n: number; POSITIVE: number; NEUTRAL: number; NEGATIVE: number }
export interface LocaleCounts { count: number; ratingSum: number; POSITIVE: number; NEUTRAL: number; NEGATIVE: number }

/** A mention that can stand for an aspect: the review, the clause it came from and the term's span. */
export interface Quote { reviewId: string; snippet: string; start: number; end: number; score: number; createdAt: string }

/**
 * One document per product under a deterministic id, maintained from events. Each change applied
 * carries a key; `recentEffects` (the last few keys, written in the same single-document update as
 * the counts) makes a change that is applied again, after a crash, count once.
 * Map keys (aspects, locales) are encoded with `fieldKey`, since `.` and a leading `$` are not allowed in keys.
 */
export interface InsightsDocument {
  _id: string;
  tenantId: string;
  productId: string;
  reviewCount: number;
  ratingSum: number;
  ratings: { r1: number; r2: number; r3: number; r4: number; r5: number };
  sentiment: { POSITIVE: number; NEUTRAL: number; NEGATIVE: number };
  analyzedCount: number;
  aspects: Record<string, AspectCounts>;
  locales: Record<string, LocaleCounts>;
  /** By source name (fieldKey), UNKNOWN_SOURCE for reviews whose event named none. */
  sources: Record<string, LocaleCounts>;
  /** Per aspect, the best few quotes of each polarity (a pool larger than what is shown, so deletions rarely leave it short). */
  quotes: Record<string, { POSITIVE: Quote[]; NEGATIVE: Quote[] }>;
  recentEffects: string[];
  version: number;
  updatedAt: Date;
}

/** The key of reviews whose submission named no source (events from before sources); no source name can be it. */
export const UNKNOWN_SOURCE = '~';

/** `_id` of a product's insights document. */
export function insightsId(tenantId: string, productId: string): string {
  return `ins_${createHash('sha256').update(`${tenantId}\u0000${productId}`).digest('hex').slice(0, 24)}`;
}

/** A map key safe in any MongoDB-compatible store (no `.`, no `$`); `fromFieldKey` reverses it. */
export function fieldKey(name: string): string {
  return encodeURIComponent(name).replace(/\./g, '%2E');
}

export function fromFieldKey(key: string): string {
  return decodeURIComponent(key);
}

export function emptyInsights(tenantId: string, productId: string, now: Date): InsightsDocument {
  return {
    _id: insightsId(tenantId, productId), tenantId, productId, reviewCount: 0, ratingSum: 0,
    ratings: { r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 },
    sentiment: { POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 },
    analyzedCount: 0, aspects: {}, locales: {}, sources: {}, quotes: {}, recentEffects: [], version: 0, updatedAt: now,
  };
}
