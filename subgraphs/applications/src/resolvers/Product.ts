import { requireScope } from '../../../../lib/scopes.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference) => reference,
  insights: (product, _args, context) => {
    requireScope(context, 'read');
    return context.loaders.insights.load(product.id);
  },
};
