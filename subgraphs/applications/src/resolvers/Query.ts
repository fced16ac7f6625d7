import { requireScope } from '../../../../lib/scopes.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { checkComparedIds, compare } from '../services/product-comparison.js';

export const Query: QueryResolvers = {
  compareProducts: async (_root, { ids }, context) => {
    requireScope(context, 'read');
    checkComparedIds(ids);
    return compare(ids, await context.repos.insights.findByProductIds(context.tenantId, ids));
  },
};
