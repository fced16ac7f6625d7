import { decodeCursor, encodeCursor, pageSize } from '../../../../lib/pagination.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { mentionKey } from '../models/analysis.js';

const isOffsetCursor = (value: unknown): value is { o: number } =>
  typeof value === 'object' && value !== null && Number.isInteger((value as { o?: unknown }).o) && (value as { o: number }).o >= 0;

export const Product: ProductResolvers = {
  __resolveReference: (reference) => reference,
  reviewsMentioning: async (product, { aspect, polarity, first, after }, { services, tenantId }) => {
    const limit = pageSize(first);
    const offset = decodeCursor(after, isOffsetCursor)?.o ?? 0;
    const ids = await services.mentions.list(tenantId, mentionKey(tenantId, product.id, aspect.trim(), polarity ?? null));
    const newestFirst = ids.slice().reverse();
    const page = newestFirst.slice(offset, offset + limit);
    const edges = page.map((id, i) => ({ cursor: encodeCursor({ o: offset + i + 1 }), node: { id } }));
    return { edges, pageInfo: { hasNextPage: offset + limit < newestFirst.length, endCursor: edges.at(-1)?.cursor ?? null } };
  },
};
