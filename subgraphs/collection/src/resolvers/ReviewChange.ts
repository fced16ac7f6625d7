import type { ReviewChangeResolvers } from '../__generated__/resolvers-types.js';

export const ReviewChange: ReviewChangeResolvers = {
  at: (change) => change.at.toISOString(),
};
