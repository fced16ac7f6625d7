import { listConnection } from '../../../../lib/list-connection.js';
import { decodeListCursor } from '../../../../lib/list-cursor.js';
import { pageSize } from '../../../../lib/pagination.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { mentionKey } from '../models/analysis.js';
import { seesHeldReviews } from '../models/review-visibility.js';
import { mentionList } from '../repositories/mention-repository.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference) => reference,
  reviewsMentioning: async (product, { aspect, polarity, first, after }, { services, tenantId, caller }) => {
    const limit = pageSize(first);
    const key = mentionKey(product.id, aspect.trim(), polarity ?? null);
    // Keys that may only read see published reviews alone, as in collection's review lists.
    const audience = seesHeldReviews(caller.scopes) ? 'all' : 'published';
    const list = mentionList(tenantId, key, audience);
    const page = await services.mentions.listPage(tenantId, key, limit, decodeListCursor(list.prefix, list.order, after), audience);
    return listConnection(list, page, (reviewId) => ({ id: reviewId }));
  },
};
