import { signalsOf, statusOf } from '../models/moderation.js';
import type { ReviewResolvers } from '../__generated__/resolvers-types.js';

export const Review: ReviewResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.review.load(reference.id),
  id: (review) => review._id,
  product: async (review, _args, { loaders }) => {
    const product = await loaders.product.load(review.productId);
    if (!product) throw new Error(`review ${review._id} points at missing product ${review.productId}`);
    return product;
  },
  createdAt: (review) => review.createdAt.toISOString(),
  status: (review) => statusOf(review),
  moderationReason: (review) => review.moderationReason ?? null,
  signals: (review) => signalsOf(review),
  revision: (review) => review.revision ?? 1,
  updatedAt: (review) => review.updatedAt?.toISOString() ?? null,
  source: (review, _args, { loaders }) => loaders.sourceByName.load(review.source),
  syndicatedFrom: (review, _args, { loaders }) => (review.syndicatedFrom ? loaders.sourceByName.load(review.syndicatedFrom) : null),
};
