import type { ProductInsightsResolvers } from '../__generated__/resolvers-types.js';

export const ProductInsights: ProductInsightsResolvers = {
  averageRating: (doc) => (doc.reviewCount > 0 ? Math.round((doc.ratingSum / doc.reviewCount) * 100) / 100 : null),
  ratingHistogram: (doc) => ([1, 2, 3, 4, 5] as const).map((rating) => ({ rating, count: doc.ratings[`r${rating}`] })),
  sentimentBreakdown: (doc) => ({ positive: doc.sentiment.POSITIVE, neutral: doc.sentiment.NEUTRAL, negative: doc.sentiment.NEGATIVE }),
  updatedAt: (doc) => doc.updatedAt.toISOString(),
};
