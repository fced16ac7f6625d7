import { BadUserInputError } from '../../../../lib/errors.js';
import { decodeListCursor } from '../../../../lib/list-cursor.js';
import { listConnection } from '../../../../lib/list-connection.js';
import { requireScope } from '../../../../lib/scopes.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { alertList } from '../repositories/alert-repository.js';
import { webhookList } from '../repositories/webhook-repository.js';
import { checkComparedIds, compare } from '../services/product-comparison.js';

export const Query: QueryResolvers = {
  compareProducts: async (_root, { ids }, context) => {
    requireScope(context, 'read');
    checkComparedIds(ids);
    return compare(ids, await context.repos.insights.findByProductIds(context.tenantId, ids));
  },
  alerts: async (_root, { status, productId, first, after }, context) => {
    requireScope(context, 'read');
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new BadUserInputError('first must be between 1 and 100', { field: 'first', limit: 100 });
    if (productId !== null && productId !== undefined && (productId.length === 0 || productId.length > 200)) throw new BadUserInputError('productId must be 1 to 200 characters', { field: 'productId' });
    const list = alertList(context.tenantId, status ?? null, productId ?? null);
    const page = await context.repos.alerts.page(list, status ?? null, context.tenantId, decodeListCursor(list.prefix, list.order, after), n);
    return listConnection(list, page, (alert) => alert);
  },
  webhooks: async (_root, { first, after }, context) => {
    requireScope(context, 'read');
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new BadUserInputError('first must be between 1 and 100', { field: 'first', limit: 100 });
    const list = webhookList(context.tenantId);
    const page = await context.repos.webhooks.page(context.tenantId, decodeListCursor(list.prefix, list.order, after), n);
    return listConnection(list, page, (webhook) => webhook);
  },
  webhook: async (_root, { id }, context) => {
    requireScope(context, 'read');
    if (id.length === 0 || id.length > 100) return null;
    return (await context.repos.webhooks.findByIds(context.tenantId, [id])).get(id) ?? null;
  },
};
