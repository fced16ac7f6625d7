import { GraphQLError } from 'graphql';
import { BadUserInputError } from '../../../../lib/errors.js';
import { fromFieldKey, type InsightsDocument } from '../models/insights.js';

export const MIN_COMPARED = 2;
export const MAX_COMPARED = 5;

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Refuses what compareProducts cannot answer: a count outside 2-5, repeated or malformed ids. */
export function checkComparedIds(ids: readonly string[]): void {
  if (ids.length < MIN_COMPARED || ids.length > MAX_COMPARED) throw new BadUserInputError(`compareProducts takes ${MIN_COMPARED} to ${MAX_COMPARED} product ids; got ${ids.length}`, { field: 'ids' });
  const bad = ids.find((id) => id.length === 0 || id.length > 200);
  if (bad !== undefined) throw new BadUserInputError('a product id must be 1 to 200 characters', { field: 'ids' });
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw new BadUserInputError(`product id ${repeated} is given more than once`, { field: 'ids' });
}

/** The comparison of products whose insights were all found (in the order asked). */
export function compare(ids: readonly string[], found: Map<string, InsightsDocument>) {
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new GraphQLError(`no reviews are known for product ${missing.join(', ')} in this tenant (unknown, another tenant's, or without reviews yet)`, { extensions: { code: 'NOT_FOUND', ids: missing } });
  }
  const docs = ids.map((id) => found.get(id)!);
  const average = (d: InsightsDocument) => (d.reviewCount > 0 ? d.ratingSum / d.reviewCount : null);
  const products = docs.map((d) => ({
    product: { id: d.productId },
    reviewCount: d.reviewCount,
    averageRating: average(d) === null ? null : Math.round(average(d)! * 100) / 100,
    positiveShare: d.analyzedCount > 0 ? round(d.sentiment.POSITIVE / d.analyzedCount) : null,
    negativeShare: d.analyzedCount > 0 ? round(d.sentiment.NEGATIVE / d.analyzedCount) : null,
  }));
  const averages = docs.map(average);
  const ratingSpread = averages.every((a) => a !== null) ? Math.round((Math.max(...(averages as number[])) - Math.min(...(averages as number[]))) * 100) / 100 : null;
  const shared = Object.keys(docs[0]!.aspects).filter((key) => docs.every((d) => (d.aspects[key]?.n ?? 0) > 0));
  const sharedAspects = shared.map((key) => {
    const per = docs.map((d) => {
      const c = d.aspects[key]!;
      return { product: { id: d.productId }, mentions: c.n, netSentiment: round((c.POSITIVE - c.NEGATIVE) / c.n), positiveShare: round(c.POSITIVE / c.n), negativeShare: round(c.NEGATIVE / c.n) };
    });
    const nets = per.map((p) => p.netSentiment);
    return { aspect: fromFieldKey(key), spread: round(Math.max(...nets) - Math.min(...nets)), products: per };
  }).sort((a, b) => b.spread - a.spread || (a.aspect < b.aspect ? -1 : 1));
  return { products, ratingSpread, sharedAspects };
}
