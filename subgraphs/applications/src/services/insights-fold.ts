import { fieldKey, UNKNOWN_SOURCE, type AspectCounts, type InsightsDocument, type Quote, type QuotePolarity, type SentimentLabel } from '../models/insights.js';
import type { CountedReview, MentionFact } from '../models/review-state.js';
import type { DayCounts, TrendMonthDocument } from '../models/trend-month.js';

/** Quotes kept per aspect and polarity; the graph shows at most QUOTES_SHOWN of them. */
export const QUOTE_POOL = 6;
export const QUOTES_SHOWN = 3;

/**
 * The polarity a review expresses about each aspect it mentions: the majority of its mentions
 * (a tie, or only neutral mentions, is NEUTRAL), with the most confident mention of that polarity.
 */
export function aspectVotes(review: CountedReview): Map<string, { polarity: SentimentLabel; best: MentionFact | null }> {
  const byAspect = new Map<string, MentionFact[]>();
  for (const mention of review.analysis?.aspects ?? []) byAspect.set(mention.aspect, [...(byAspect.get(mention.aspect) ?? []), mention]);
  const votes = new Map<string, { polarity: SentimentLabel; best: MentionFact | null }>();
  for (const [aspect, mentions] of byAspect) {
    const pos = mentions.filter((m) => m.polarity === 'POSITIVE').length;
    const neg = mentions.filter((m) => m.polarity === 'NEGATIVE').length;
    const polarity: SentimentLabel = pos > neg ? 'POSITIVE' : neg > pos ? 'NEGATIVE' : 'NEUTRAL';
    const best = mentions.filter((m) => m.polarity === polarity).sort((a, b) => b.score - a.score || a.start - b.start)[0] ?? null;
    votes.set(aspect, { polarity, best });
  }
  return votes;
}

/** Quote order: most confident first, then the most recent review, then review id (total, so any fold order gives the same pool). */
export function compareQuotes(a: Quote, b: Quote): number {
  return b.score - a.score || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0) || (a.reviewId < b.reviewId ? -1 : a.reviewId > b.reviewId ? 1 : 0);
}

function bump<K extends string>(counts: Record<K, number>, key: K, by: number) {
  counts[key] = (counts[key] ?? 0) + by;
}

const isZero = (value: Record<string, unknown>): boolean => Object.values(value).every((v) => (typeof v === 'number' ? v === 0 : typeof v === 'object' && v !== null && isZero(v as Record<string, unknown>)));

function foldAspects(aspects: Record<string, AspectCounts>, review: CountedReview, sign: 1 | -1) {
  for (const [aspect, { polarity }] of aspectVotes(review)) {
    const key = fieldKey(aspect);
    const counts = (aspects[key] ??= { n: 0, POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 });
    counts.n += sign;
    counts[polarity] += sign;
    if (isZero(counts as unknown as Record<string, unknown>)) delete aspects[key];
  }
}

/** Adds (sign 1) or takes out (sign -1) one review's contribution to its product's insights, in place. */
export function foldProduct(doc: InsightsDocument, review: CountedReview, sign: 1 | -1): void {
  const { rating, locale, createdAt } = review.submitted;
  doc.reviewCount += sign;
  doc.ratingSum += sign * rating;
  bump(doc.ratings, `r${rating}` as keyof InsightsDocument['ratings'], sign);
  const label = review.analysis?.label ?? null;
  if (label) {
    doc.analyzedCount += sign;
    doc.sentiment[label] += sign;
  }
  const localeKey = fieldKey(locale ?? 'und');
  const perLocale = (doc.locales[localeKey] ??= { count: 0, ratingSum: 0, POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 });
  perLocale.count += sign;
  perLocale.ratingSum += sign * rating;
  if (label) perLocale[label] += sign;
  if (isZero(perLocale as unknown as Record<string, unknown>)) delete doc.locales[localeKey];
  const sourceKey = review.submitted.source ? fieldKey(review.submitted.source) : UNKNOWN_SOURCE;
  const perSource = ((doc.sources ??= {})[sourceKey] ??= { count: 0, ratingSum: 0, POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 });
  perSource.count += sign;
  perSource.ratingSum += sign * rating;
  if (label) perSource[label] += sign;
  if (isZero(perSource as unknown as Record<string, unknown>)) delete doc.sources[sourceKey];
  foldAspects(doc.aspects, review, sign);

  for (const [aspect, { polarity, best }] of aspectVotes(review)) {
    if (polarity === 'NEUTRAL' || !best) continue;
    const key = fieldKey(aspect);
    const pools = (doc.quotes[key] ??= { POSITIVE: [], NEGATIVE: [] });
    const pool = pools[polarity as QuotePolarity].filter((q) => q.reviewId !== review.reviewId);
    if (sign === 1) {
      pool.push({ reviewId: review.reviewId, snippet: best.snippet, start: best.start, end: best.end, score: best.score, createdAt });
      pool.sort(compareQuotes);
    }
    pools[polarity as QuotePolarity] = pool.slice(0, QUOTE_POOL);
    if (pools.POSITIVE.length === 0 && pools.NEGATIVE.length === 0) delete doc.quotes[key];
  }
}

/** `YYYY-MM` and `DD` of the UTC day a review was written. */
export function reviewDay(review: CountedReview): { month: string; day: string } {
  const iso = review.submitted.createdAt;
  return { month: iso.slice(0, 7), day: iso.slice(8, 10) };
}

/** Adds or takes out one review's contribution to the daily bucket of the day it was written, in place. */
export function foldMonth(doc: TrendMonthDocument, review: CountedReview, sign: 1 | -1): void {
  const { day } = reviewDay(review);
  const bucket: DayCounts = (doc.days[day] ??= { count: 0, ratingSum: 0, POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0, aspects: {} });
  bucket.count += sign;
  bucket.ratingSum += sign * review.submitted.rating;
  if (review.submitted.rating <= 2) bucket.low = (bucket.low ?? 0) + sign;
  if (bucket.low === 0) delete bucket.low;
  const label = review.analysis?.label ?? null;
  if (label) bucket[label] += sign;
  foldAspects(bucket.aspects, review, sign);
  if (isZero(bucket as unknown as Record<string, unknown>)) delete doc.days[day];
}
