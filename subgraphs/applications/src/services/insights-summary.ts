import type { InsightsDocument } from '../models/insights.js';
import { aspectViews, topCons, topPros, type AspectView, type QuoteView } from './aspect-ranking.js';

/** Analysed reviews a summary needs before it says anything about the product. */
export const SUMMARY_MIN_ANALYSED = 5;
/** An aspect is called a strength or weakness only with at least this many backing reviews and this Wilson score. */
const MIN_BACKING = 2;
const MIN_SCORE = 0.25;
const PER_SIDE = 2;

const percent = (part: number, whole: number) => Math.round((part / whole) * 100);
const reviews = (n: number) => `${n} review${n === 1 ? '' : 's'}`;

/**
 * The "customers say" paragraph: a fixed template over the product's counts, the top pros and cons
 * that enough reviews back, and one quote for each from a review not quoted yet.
 */
export function summarise(doc: InsightsDocument): { text: string; sufficient: boolean; citedReviews: Array<{ id: string }> } {
  if (doc.analyzedCount < SUMMARY_MIN_ANALYSED) {
    return {
      text: `Too few reviews to summarise yet: ${reviews(doc.reviewCount)}, ${doc.analyzedCount} analysed; a summary needs at least ${SUMMARY_MIN_ANALYSED} analysed reviews.`,
      sufficient: false,
      citedReviews: [],
    };
  }
  const cited: string[] = [];
  const { POSITIVE, NEUTRAL, NEGATIVE } = doc.sentiment;
  const average = doc.reviewCount > 0 ? (doc.ratingSum / doc.reviewCount).toFixed(1) : null;
  const sentences = [
    `Based on ${reviews(doc.reviewCount)}${average ? ` (average ${average} of 5 stars)` : ''}: of the ${doc.analyzedCount} analysed, ${percent(POSITIVE, doc.analyzedCount)}% are positive, ${percent(NEUTRAL, doc.analyzedCount)}% neutral and ${percent(NEGATIVE, doc.analyzedCount)}% negative.`,
  ];
  const quoteOf = (quotes: QuoteView[]) => {
    const quote = quotes.find((q) => !cited.includes(q.review.id));
    if (!quote) return '';
    cited.push(quote.review.id);
    return `, e.g. "${quote.snippet.replace(/[.!?]+$/, '')}"`;
  };
  const views = aspectViews(doc);
  const pros = topPros(views).filter((v) => v.positive >= MIN_BACKING && v.proScore >= MIN_SCORE).slice(0, PER_SIDE);
  const cons = topCons(views).filter((v) => v.negative >= MIN_BACKING && v.conScore >= MIN_SCORE).slice(0, PER_SIDE);
  const side = (list: AspectView[], verb: string, count: (v: AspectView) => number, tone: string, quotes: (v: AspectView) => QuoteView[], none: string) => {
    if (list.length === 0) return none;
    return list.map((v) => `Customers ${verb} the ${v.aspect}: ${count(v)} of the ${reviews(v.mentions)} that mention it ${v.mentions === 1 ? 'is' : 'are'} ${tone}${quoteOf(quotes(v))}.`).join(' ');
  };
  sentences.push(side(pros, 'praise', (v) => v.positive, 'positive', (v) => v.positiveQuotes, 'No aspect is praised by enough reviews to call it a strength yet.'));
  sentences.push(side(cons, 'complain about', (v) => v.negative, 'negative', (v) => v.negativeQuotes, 'No aspect draws enough complaints to call it a weakness yet.'));
  return { text: sentences.join(' '), sufficient: true, citedReviews: cited.map((id) => ({ id })) };
}
