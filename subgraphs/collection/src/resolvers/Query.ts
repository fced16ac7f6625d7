import { listConnection } from '../../../../lib/list-connection.js';
import { decodeListCursor } from '../../../../lib/list-cursor.js';
import { pageSize } from '../../../../lib/pagination.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { productList } from '../models/lists.js';
import { PRODUCT_ID_PATTERN } from '../models/product.js';
import { REVIEW_ID_PATTERN } from '../models/review.js';
import { SOURCE_ID_PATTERN } from '../models/source.js';
import { decodeChangeCursor, readChanges } from '../services/change-feed.js';
import { sourceList } from '../repositories/source-repository.js';
import { visibleTo } from '../services/moderation.js';
import { requireScope } from '../../../../lib/scopes.js';

export const Query: QueryResolvers = {
  product: (_parent, { id }, { loaders }) => (PRODUCT_ID_PATTERN.test(id) ? loaders.product.load(id) : null),
  productBySku: (_parent, { sku }, { services, tenantId }) => services.products.findBySku(tenantId, sku),
  review: async (_parent, { id }, { loaders, caller }) => {
    const review = REVIEW_ID_PATTERN.test(id) ? await loaders.review.load(id) : null;
    return review && visibleTo(caller.scopes, review) ? review : null;
  },
  moderationPolicy: async (_parent, _args, context) => {
    requireScope(context, 'moderate');
    return (await context.services.moderation.policyOf(context.tenantId)) ?? { hold: [], updatedAt: null };
  },
  reviewChanges: (_parent, { first, after }, { services, tenantId, caller }) => readChanges(services, tenantId, decodeChangeCursor(tenantId, after), pageSize(first ?? 100), (review) => visibleTo(caller.scopes, review)),
  source: (_parent, { id }, { loaders }) => (SOURCE_ID_PATTERN.test(id) ? loaders.source.load(id) : null),
  sourceByName: (_parent, { name }, { services, tenantId }) => services.sources.findByName(tenantId, name),
  sources: async (_parent, { first, after }, { services, tenantId }) => {
    const list = sourceList(tenantId);
    const page = await services.sources.listPage(tenantId, pageSize(first), decodeListCursor(list.prefix, list.order, after));
    return listConnection(list, page, (source) => source);
  },
  products: async (_parent, { first, after }, { services, tenantId }) => {
    const limit = pageSize(first);
    const list = productList(tenantId);
    const page = await services.products.listPage(tenantId, limit, decodeListCursor(list.prefix, list.order, after));
    return listConnection(list, page, (product) => product);
  },
};
