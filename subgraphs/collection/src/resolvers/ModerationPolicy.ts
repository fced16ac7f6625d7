import type { ModerationPolicyResolvers } from '../__generated__/resolvers-types.js';

export const ModerationPolicy: ModerationPolicyResolvers = {
  updatedAt: (policy) => policy.updatedAt?.toISOString() ?? null,
};
