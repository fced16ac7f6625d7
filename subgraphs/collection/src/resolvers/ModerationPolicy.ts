import type { ModerationPolicyResolvers } from '../__generated__/resolvers-types.js';
import { DEFAULT_SOURCE_BURST_LIMIT } from '../models/moderation.js';

export const ModerationPolicy: ModerationPolicyResolvers = {
  sourceBurstLimit: (policy) => policy.sourceBurstLimit ?? DEFAULT_SOURCE_BURST_LIMIT,
  updatedAt: (policy) => policy.updatedAt?.toISOString() ?? null,
};
