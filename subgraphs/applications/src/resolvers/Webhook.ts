import { BadUserInputError } from '../../../../lib/errors.js';
import { decodeListCursor } from '../../../../lib/list-cursor.js';
import { listConnection } from '../../../../lib/list-connection.js';
import { requireScope } from '../../../../lib/scopes.js';
import type { WebhookResolvers } from '../__generated__/resolvers-types.js';
import { isDeliverable } from '../models/webhook.js';
import { enumOfEvent } from '../models/webhook-event-names.js';
import { attemptList } from '../repositories/webhook-delivery-repository.js';

export const Webhook: WebhookResolvers = {
  id: (webhook) => webhook._id,
  events: (webhook) => webhook.events.map(enumOfEvent),
  enabled: async (webhook, _args, context) => isDeliverable(webhook, await context.loaders.webhookHealth.load(webhook._id) ?? undefined),
  disabledReason: async (webhook, _args, context) => {
    const health = await context.loaders.webhookHealth.load(webhook._id);
    return health && !isDeliverable(webhook, health) && webhook.enabled ? health.disabledReason : null;
  },
  disabledAt: async (webhook, _args, context) => {
    const health = await context.loaders.webhookHealth.load(webhook._id);
    return health && !isDeliverable(webhook, health) && webhook.enabled ? (health.disabledAt?.toISOString() ?? null) : null;
  },
  consecutiveFailures: async (webhook, _args, context) => {
    const health = await context.loaders.webhookHealth.load(webhook._id);
    return health?.failingSince && health.failingSince.getTime() >= webhook.enabledAt.getTime() ? health.consecutiveFailures : 0;
  },
  secretCreatedAt: (webhook) => webhook.secrets[0]!.createdAt.toISOString(),
  previousSecretExpiresAt: (webhook) => {
    const previous = webhook.secrets.find((s) => s.expiresAt !== null && s.expiresAt.getTime() > Date.now());
    return previous?.expiresAt?.toISOString() ?? null;
  },
  createdAt: (webhook) => webhook.createdAt.toISOString(),
  updatedAt: (webhook) => webhook.updatedAt.toISOString(),
  deliveries: async (webhook, { first, after }, context) => {
    requireScope(context, 'read');
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > 100) throw new BadUserInputError('first must be between 1 and 100', { field: 'first', limit: 100 });
    const list = attemptList(webhook.tenantId, webhook._id);
    const page = await context.repos.webhookDeliveries.pageAttempts(webhook.tenantId, webhook._id, decodeListCursor(list.prefix, list.order, after), n);
    return listConnection(list, page, (attempt) => attempt);
  },
};
