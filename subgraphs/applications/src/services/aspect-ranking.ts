import { fromFieldKey, type InsightsDocument, type Quote } from '../models/insights.js';
import { QUOTES_SHOWN } from './insights-fold.js';

const Z = 1.96;

/** Lower bound of the 95% Wilson score interval of `successes` out of `n`: a share that also weighs how many back it. */
export function wilsonLowerBound(successes: number, n: number): number {
  if (n <= 0) return 0;
  const p = successes / n;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * n);
  const margin = Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export interface QuoteView { review: { id: string }; snippet: string; span: { start: number; end: number }; confidence: number; reviewCreatedAt: string }

export interface AspectView {
  aspect: string; mentions: number; positive: number; neutral: number; negative: number;
  positiveShare: number; neutralShare: number; negativeShare: number; proScore: number; conScore: number;
  positiveQuotes: QuoteView[]; negativeQuotes: QuoteView[];
}

const quoteView = (q: Quote): QuoteView => ({ review: { id: q.reviewId }, snippet: q.snippet, span: { start: q.start, end: q.end }, confidence: round(q.score), reviewCreatedAt: q.createdAt });

/** Every aspect of a product's insights with its shares, scores and shown quotes. */
export function aspectViews(doc: InsightsDocument): AspectView[] {
  return Object.entries(doc.aspects).map(([key, c]) => {
    const quotes = doc.quotes[key] ?? { POSITIVE: [], NEGATIVE: [] };
    return {
      aspect: fromFieldKey(key), mentions: c.n, positive: c.POSITIVE, neutral: c.NEUTRAL, negative: c.NEGATIVE,
      positiveShare: round(c.POSITIVE / c.n), neutralShare: round(c.NEUTRAL / c.n), negativeShare: round(c.NEGATIVE / c.n),
      proScore: round(wilsonLowerBound(c.POSITIVE, c.n)), conScore: round(wilsonLowerBound(c.NEGATIVE, c.n)),
      positiveQuotes: quotes.POSITIVE.slice(0, QUOTES_SHOWN).map(quoteView),
      negativeQuotes: quotes.NEGATIVE.slice(0, QUOTES_SHOWN).map(quoteView),
    };
  });
}

const byName = (a: AspectView, b: AspectView) => (a.aspect < b.aspect ? -1 : a.aspect > b.aspect ? 1 : 0);

export const byMentions = (views: AspectView[]) => [...views].sort((a, b) => b.mentions - a.mentions || byName(a, b));
/** Pros: aspects with a positive mention, by proScore, then mentions, then name. */
export const topPros = (views: AspectView[]) => views.filter((v) => v.positive > 0).sort((a, b) => b.proScore - a.proScore || b.mentions - a.mentions || byName(a, b));
/** Cons: aspects with a negative mention, by conScore, then mentions, then name. */
export const topCons = (views: AspectView[]) => views.filter((v) => v.negative > 0).sort((a, b) => b.conScore - a.conScore || b.mentions - a.mentions || byName(a, b));
