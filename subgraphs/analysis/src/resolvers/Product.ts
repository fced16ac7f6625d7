import { decodeCursor, encodeCursor, pageSize } from '../../../../lib/pagination.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { mentionKey } from '../models/analysis.js';

interface MentionCursorValue { t: number; id: string }
const isMentionCursor = (value: unknown): value is MentionCursorValue =>
  typeof value === 'object' && value !== null && Number.isFinite((value as MentionCursorValue).t) && typeof (value as MentionCursorValue).id === 'string';

export const Product: ProductResolvers = {
  __resolveReference: (reference) => reference,
  reviewsMentioning: async (product, { aspect, polarity, first, after }, { services, tenantId }) => {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, isMentionCursor);
    const key = mentionKey(product.id, aspect.trim(), polarity ?? null);
    const page = await services.mentions.listPage(tenantId, key, limit + 1, cursor ? { analyzedAt: new Date(cursor.t), id: cursor.id } : null);
    const edges = page.slice(0, limit).map((m) => ({ cursor: encodeCursor({ t: m.analyzedAt!.getTime(), id: m._id }), node: { id: m._id } }));
    return { edges, pageInfo: { hasNextPage: page.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
  },
};
