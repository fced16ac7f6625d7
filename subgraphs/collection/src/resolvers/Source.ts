import type { SourceResolvers } from '../__generated__/resolvers-types.js';

export const Source: SourceResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.source.load(reference.id),
  id: (source) => source._id,
  createdAt: (source) => source.createdAt.toISOString(),
  updatedAt: (source) => source.updatedAt.toISOString(),
};
