import { requireScope } from '../../../../lib/scopes.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { eventOfEnum } from '../models/webhook-event-names.js';

export const Mutation: MutationResolvers = {
  subscribeWebhook: (_root, { url, events, description }, context) => {
    requireScope(context, 'write');
    return context.webhooks.subscribe(context.tenantId, { url, events: events.map(eventOfEnum), description });
  },
  updateWebhook: (_root, { id, url, events, description, enabled }, context) => {
    requireScope(context, 'write');
    return context.webhooks.update(context.tenantId, id, { url, events: events?.map(eventOfEnum), description, enabled });
  },
  deleteWebhook: async (_root, { id }, context) => {
    requireScope(context, 'write');
    return { id: (await context.webhooks.delete(context.tenantId, id))._id };
  },
  rotateWebhookSecret: (_root, { id, overlapSeconds }, context) => {
    requireScope(context, 'write');
    return context.webhooks.rotateSecret(context.tenantId, id, overlapSeconds ?? 86_400);
  },
};
