import { BadUserInputError } from '../../../../lib/errors.js';
import { listConnection } from '../../../../lib/list-connection.js';
import { decodeListCursor } from '../../../../lib/list-cursor.js';
import { pageSize } from '../../../../lib/pagination.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { reviewList } from '../models/lists.js';
import { visibleTo } from '../services/moderation.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.product.load(reference.id),
  id: (product) => product._id,
  reviews: async (product, { first, after, orderBy, rating }, { services, tenantId, caller }) => {
    const limit = pageSize(first);
    if (rating !== null && rating !== undefined && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      throw new BadUserInputError('rating must be an integer from 1 to 5', { argument: 'rating' });
    }
    const list = reviewList(tenantId, product._id, orderBy ?? 'NEWEST', rating ?? null);
    const page = await services.reviews.listPage(tenantId, list, limit, decodeListCursor(list.prefix, list.order, after));
    // A read-only key sees published reviews alone: a page may come back shorter, its cursor still moves on.
    return listConnection(list, { ...page, items: page.items.filter(({ item }) => visibleTo(caller.scopes, item)) }, (review) => review);
  },
};
