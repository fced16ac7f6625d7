import { decodeCursor, encodeCursor, pageSize } from '../../../../lib/pagination.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';

interface ReviewCursorValue { t: number; id: string }
const isReviewCursor = (value: unknown): value is ReviewCursorValue =>
  typeof value === 'object' && value !== null && Number.isFinite((value as ReviewCursorValue).t) && typeof (value as ReviewCursorValue).id === 'string';

export const Product: ProductResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.product.load(reference.id),
  id: (product) => product._id,
  reviews: async (product, { first, after }, { services, tenantId }) => {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, isReviewCursor);
    const page = await services.reviews.listByProduct(tenantId, product._id, limit + 1, cursor ? { createdAt: new Date(cursor.t), id: cursor.id } : null);
    const edges = page.slice(0, limit).map((node) => ({ cursor: encodeCursor({ t: node.createdAt.getTime(), id: node._id }), node }));
    return { edges, pageInfo: { hasNextPage: page.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
  },
};
