import type { BatchItem, Bus, RunningConsumer } from '../../../../lib/bus/index.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import type { AlertTopics } from '../events.js';
import { deliveryIdOf, isDeliverable } from '../models/webhook.js';
import type { WebhookDeliveryDocument } from '../models/webhook-delivery.js';
import type { WebhookDeliveryRepository } from '../repositories/webhook-delivery-repository.js';
import type { WebhookRepository } from '../repositories/webhook-repository.js';
import { MAX_WEBHOOKS_PER_TENANT } from './webhook-subscriptions.js';
import { webhookPayload } from './webhook-payloads.js';

/** The durable consumer of the webhook process, on the review stream and on the alert stream: apart from the insights consumer's. */
export const WEBHOOKS_CONSUMER = 'webhooks';

export interface FanoutDeps { webhooks: WebhookRepository; deliveries: WebhookDeliveryRepository }

/**
 * Turns a batch of events into one delivery per event and subscribed, deliverable webhook, stored
 * and queued; the HTTP calls happen later, in the deliverer, so a slow receiver never holds the bus.
 * Events from before a webhook was created are not delivered to it (a new durable starts at the
 * stream's beginning). Returns one entry per item: an Error to retry (or dead-letter) it, e.g. a
 * payload that breaks its contract, when the tenant has a webhook to send it to.
 */
export async function fanOut(deps: FanoutDeps, items: ReadonlyArray<BatchItem<unknown>>, now = new Date()): Promise<Array<void | Error>> {
  const results: Array<void | Error> = items.map(() => undefined);
  const byTenant = new Map<string, number[]>();
  items.forEach((item, i) => byTenant.set(item.event.tenantId, [...(byTenant.get(item.event.tenantId) ?? []), i]));
  for (const [tenantId, indexes] of byTenant) {
    try {
      const webhooks = await deps.webhooks.all(tenantId, MAX_WEBHOOKS_PER_TENANT);
      const health = await deps.webhooks.findHealth(tenantId, webhooks.map((w) => w._id));
      const live = webhooks.filter((w) => isDeliverable(w, health.get(w._id)));
      if (live.length === 0) continue;
      const deliveries: WebhookDeliveryDocument[] = [];
      for (const i of indexes) {
        const { event } = items[i]!;
        try {
          const payload = webhookPayload(event);
          if (!payload) continue;
          const occurred = Date.parse(event.occurredAt);
          for (const webhook of live) {
            if (!webhook.events.includes(payload.type) || !(occurred >= webhook.createdAt.getTime())) continue;
            const id = deliveryIdOf(webhook._id, event.id);
            const body = JSON.stringify({ id, type: payload.type, eventId: event.id, occurredAt: event.occurredAt, data: payload.data });
            deliveries.push({ _id: id, tenantId, webhookId: webhook._id, eventId: event.id, eventType: payload.type, body, status: 'PENDING', attempts: 0, createdAt: now, updatedAt: now });
          }
        } catch (error) {
          results[i] = error as Error;
        }
      }
      await deps.deliveries.enqueue(deliveries, now);
    } catch (error) {
      for (const i of indexes) results[i] ??= error as Error;
    }
  }
  return results;
}

/** Starts the fan-out on both streams. */
export async function startWebhookFanout(bus: Bus, deps: FanoutDeps, topics: { reviews: ReviewTopics; alerts: AlertTopics }, opts: { maxDeliver?: number; backoffMs?: number[] } = {}): Promise<RunningConsumer[]> {
  const spec = (stream: string, filterSubjects: string[]) => bus.consume<unknown>({
    stream, durable: WEBHOOKS_CONSUMER, filterSubjects, maxDeliver: opts.maxDeliver, backoffMs: opts.backoffMs, maxMessages: 128,
    batch: { size: 128, handler: (items) => fanOut(deps, items) },
  });
  return [
    await spec(topics.reviews.stream.name, [topics.reviews.submitted, topics.reviews.moderated, topics.reviews.analyzed]),
    await spec(topics.alerts.stream.name, [topics.alerts.raised, topics.alerts.resolved]),
  ];
}
