import { decodeCursor, encodeCursor, pageSize } from '../../../../lib/pagination.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { PRODUCT_ID_PATTERN } from '../models/product.js';
import { REVIEW_ID_PATTERN } from '../models/review.js';

const isProductCursor = (value: unknown): value is { id: string } =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && PRODUCT_ID_PATTERN.test((value as { id: string }).id);

export const Query: QueryResolvers = {
  product: (_parent, { id }, { loaders }) => (PRODUCT_ID_PATTERN.test(id) ? loaders.product.load(id) : null),
  productBySku: (_parent, { sku }, { services, tenantId }) => services.products.findBySku(tenantId, sku),
  review: (_parent, { id }, { loaders }) => (REVIEW_ID_PATTERN.test(id) ? loaders.review.load(id) : null),
  products: async (_parent, { first, after }, { services, tenantId }) => {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, isProductCursor);
    const page = await services.products.listPage(tenantId, limit + 1, cursor?.id ?? null);
    const nodes = page.slice(0, limit);
    const edges = nodes.map((node) => ({ cursor: encodeCursor({ id: node._id }), node }));
    return { edges, pageInfo: { hasNextPage: page.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
  },
};
