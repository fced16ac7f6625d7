import { requireScope } from '../../../../lib/scopes.js';
import type { AlertResolvers } from '../__generated__/resolvers-types.js';

const TEST = 'one-sided two-proportion z-test (pooled), last 7 days against the 28 before';

export const Alert: AlertResolvers = {
  __resolveReference: async (reference, context) => {
    requireScope(context, 'read');
    return context.loaders.alerts.load(reference.id);
  },
  id: (alert) => alert._id,
  product: (alert) => ({ id: alert.productId }),
  raisedAt: (alert) => alert.raisedAt.toISOString(),
  resolvedAt: (alert) => alert.resolvedAt?.toISOString() ?? null,
  updatedAt: (alert) => alert.updatedAt.toISOString(),
  evidence: (alert) => {
    const { exampleReviewIds, ...counts } = alert.evidence;
    return { test: TEST, ...counts, exampleReviews: exampleReviewIds.map((id) => ({ id })) };
  },
};
