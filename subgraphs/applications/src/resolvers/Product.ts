import type { ProductResolvers } from '../__generated__/resolvers-types.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference) => reference,
  insights: (product, _args, { loaders }) => loaders.insights.load(product.id),
};
