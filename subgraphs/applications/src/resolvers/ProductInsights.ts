import { BadUserInputError } from '../../../../lib/errors.js';
import { requireScope } from '../../../../lib/scopes.js';
import type { ProductInsightsResolvers } from '../__generated__/resolvers-types.js';
import { fromFieldKey, UNKNOWN_SOURCE } from '../models/insights.js';
import { aspectViews, byMentions, topCons, topPros } from '../services/aspect-ranking.js';
import { summarise } from '../services/insights-summary.js';
import { buildTrend, trendPlan } from '../services/trend.js';

const round = (x: number) => Math.round(x * 100) / 100;

function bounded(first: number | null | undefined, max: number, fallback: number): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadUserInputError(`first must be between 1 and ${max}`, { field: 'first', limit: max });
  return n;
}

export const ProductInsights: ProductInsightsResolvers = {
  averageRating: (doc) => (doc.reviewCount > 0 ? round(doc.ratingSum / doc.reviewCount) : null),
  ratingHistogram: (doc) => ([1, 2, 3, 4, 5] as const).map((rating) => ({ rating, count: doc.ratings[`r${rating}`] })),
  sentimentBreakdown: (doc) => ({ positive: doc.sentiment.POSITIVE, neutral: doc.sentiment.NEUTRAL, negative: doc.sentiment.NEGATIVE }),
  updatedAt: (doc) => doc.updatedAt.toISOString(),
  aspects: (doc, { first }, context) => {
    requireScope(context, 'read');
    return byMentions(aspectViews(doc)).slice(0, bounded(first, 50, 20));
  },
  topPros: (doc, { first }, context) => {
    requireScope(context, 'read');
    return topPros(aspectViews(doc)).slice(0, bounded(first, 20, 5));
  },
  topCons: (doc, { first }, context) => {
    requireScope(context, 'read');
    return topCons(aspectViews(doc)).slice(0, bounded(first, 20, 5));
  },
  byLocale: (doc, _args, context) => {
    requireScope(context, 'read');
    return Object.entries(doc.locales)
      .map(([key, c]) => ({ locale: fromFieldKey(key), reviewCount: c.count, averageRating: c.count > 0 ? round(c.ratingSum / c.count) : null, sentimentBreakdown: { positive: c.POSITIVE, neutral: c.NEUTRAL, negative: c.NEGATIVE } }))
      .sort((a, b) => b.reviewCount - a.reviewCount || (a.locale < b.locale ? -1 : 1));
  },
  bySource: (doc, _args, context) => {
    requireScope(context, 'read');
    return Object.entries(doc.sources ?? {})
      .map(([key, c]) => ({ source: key === UNKNOWN_SOURCE ? null : fromFieldKey(key), reviewCount: c.count, averageRating: c.count > 0 ? round(c.ratingSum / c.count) : null, sentimentBreakdown: { positive: c.POSITIVE, neutral: c.NEUTRAL, negative: c.NEGATIVE } }))
      .sort((a, b) => b.reviewCount - a.reviewCount || ((a.source ?? '') < (b.source ?? '') ? -1 : 1));
  },
  trend: async (doc, { from, to, granularity }, context) => {
    requireScope(context, 'read');
    const plan = trendPlan(from, to, granularity);
    const months = await context.repos.insights.findMonths(context.tenantId, doc.productId, plan.months);
    return buildTrend(plan, granularity, months);
  },
  summary: (doc, _args, context) => {
    requireScope(context, 'read');
    return summarise(doc);
  },
};
