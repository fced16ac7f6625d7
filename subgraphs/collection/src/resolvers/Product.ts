import { BadUserInputError } from '../../../../lib/errors.js';
import { listConnection } from '../../../../lib/list-connection.js';
import { decodeListCursor } from '../../../../lib/list-cursor.js';
import { pageSize } from '../../../../lib/pagination.js';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { reviewList } from '../models/lists.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.product.load(reference.id),
  id: (product) => product._id,
  reviews: async (product, { first, after, orderBy, rating }, { services, tenantId }) => {
    const limit = pageSize(first);
    if (rating !== null && rating !== undefined && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
      throw new BadUserInputError('rating must be an integer from 1 to 5', { argument: 'rating' });
    }
    const list = reviewList(tenantId, product._id, orderBy ?? 'NEWEST', rating ?? null);
    const page = await services.reviews.listPage(tenantId, list, limit, decodeListCursor(list.prefix, list.order, after));
    return listConnection(list, page, (review) => review);
  },
};
