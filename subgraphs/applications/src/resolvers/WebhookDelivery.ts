import type { WebhookDeliveryResolvers } from '../__generated__/resolvers-types.js';
import { enumOfEvent } from '../models/webhook-event-names.js';

export const WebhookDelivery: WebhookDeliveryResolvers = {
  id: (attempt) => `${attempt.deliveryId}:${attempt.attempt}`,
  event: (attempt) => enumOfEvent(attempt.eventType),
  attemptedAt: (attempt) => attempt.attemptedAt.toISOString(),
  nextAttemptAt: (attempt) => attempt.nextAttemptAt?.toISOString() ?? null,
};
