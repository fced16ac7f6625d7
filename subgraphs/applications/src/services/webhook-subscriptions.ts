import { GraphQLError } from 'graphql';
import { BadUserInputError } from '../../../../lib/errors.js';
import { newWebhookId, newWebhookSecret, WEBHOOK_EVENTS, type WebhookDocument, type WebhookEventType } from '../models/webhook.js';
import type { WebhookDeliveryRepository } from '../repositories/webhook-delivery-repository.js';
import type { WebhookRepository } from '../repositories/webhook-repository.js';
import { checkWebhookUrl, WebhookUrlRefused, type UrlPolicy } from './webhook-url-guard.js';

export const MAX_WEBHOOKS_PER_TENANT = 20;
export const DEFAULT_OVERLAP_SECONDS = 86_400;
export const MAX_OVERLAP_SECONDS = 7 * 86_400;
const MAX_DESCRIPTION = 200;

const notFound = (id: string) => new GraphQLError(`no webhook ${id} in this tenant`, { extensions: { code: 'NOT_FOUND', id } });

async function checkedUrl(url: string, policy: UrlPolicy): Promise<string> {
  try {
    return (await checkWebhookUrl(url, policy)).href;
  } catch (error) {
    if (error instanceof WebhookUrlRefused) throw new BadUserInputError(error.message, { field: 'url', reason: error.reason, ...(error.range ? { range: error.range } : {}) });
    throw error;
  }
}

function checkedEvents(events: readonly WebhookEventType[]): WebhookEventType[] {
  if (events.length === 0) throw new BadUserInputError('subscribe to at least one event', { field: 'events' });
  const unique = [...new Set(events)];
  if (unique.some((e) => !WEBHOOK_EVENTS.includes(e))) throw new BadUserInputError(`events must be among ${WEBHOOK_EVENTS.join(', ')}`, { field: 'events' });
  return unique;
}

function checkedDescription(description: string | null | undefined): string | null {
  if (description === null || description === undefined) return null;
  if (description.length > MAX_DESCRIPTION) throw new BadUserInputError(`description may be at most ${MAX_DESCRIPTION} characters`, { field: 'description' });
  return description;
}

/** The owner's side of webhooks: every write checks the URL (statically and by DNS) and is tenant-scoped. */
export class WebhookSubscriptions {
  constructor(private readonly webhooks: WebhookRepository, private readonly deliveries: WebhookDeliveryRepository, private readonly policy: UrlPolicy) {}

  async find(tenantId: string, id: string): Promise<WebhookDocument> {
    if (id.length === 0 || id.length > 100) throw notFound(id.slice(0, 100));
    const webhook = (await this.webhooks.findByIds(tenantId, [id])).get(id);
    if (!webhook) throw notFound(id);
    return webhook;
  }

  async subscribe(tenantId: string, input: { url: string; events: readonly WebhookEventType[]; description?: string | null }, now = new Date()): Promise<{ webhook: WebhookDocument; secret: string }> {
    const url = await checkedUrl(input.url, this.policy);
    const events = checkedEvents(input.events);
    const description = checkedDescription(input.description);
    if ((await this.webhooks.all(tenantId, MAX_WEBHOOKS_PER_TENANT)).length >= MAX_WEBHOOKS_PER_TENANT) {
      throw new BadUserInputError(`a tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first`, { field: 'url', limit: MAX_WEBHOOKS_PER_TENANT });
    }
    const secret = newWebhookSecret();
    const webhook: WebhookDocument = { _id: newWebhookId(), tenantId, url, events, description, enabled: true, enabledAt: now, secrets: [{ value: secret, createdAt: now, expiresAt: null }], createdAt: now, updatedAt: now, version: 1 };
    await this.webhooks.create(webhook);
    return { webhook, secret };
  }

  /** Changes what is given; `enabled: true` also lifts an automatic disabling. */
  async update(tenantId: string, id: string, input: { url?: string | null; events?: readonly WebhookEventType[] | null; description?: string | null; enabled?: boolean | null }, now = new Date()): Promise<WebhookDocument> {
    const webhook = await this.find(tenantId, id);
    const next: WebhookDocument = { ...webhook, updatedAt: now, version: webhook.version + 1 };
    if (input.url !== null && input.url !== undefined) next.url = await checkedUrl(input.url, this.policy);
    if (input.events !== null && input.events !== undefined) next.events = checkedEvents(input.events);
    if (input.description !== undefined) next.description = checkedDescription(input.description);
    if (input.enabled === true) Object.assign(next, { enabled: true, enabledAt: now });
    if (input.enabled === false) next.enabled = false;
    await this.webhooks.replace(next);
    return next;
  }

  async delete(tenantId: string, id: string): Promise<WebhookDocument> {
    const webhook = await this.find(tenantId, id);
    await this.webhooks.delete(webhook);
    await this.deliveries.dropQueued(tenantId, id);
    return webhook;
  }

  /** A new current secret; the previous one still signs (and verifies) for `overlapSeconds`, older ones end now. */
  async rotateSecret(tenantId: string, id: string, overlapSeconds: number, now = new Date()): Promise<{ webhook: WebhookDocument; secret: string }> {
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_OVERLAP_SECONDS) throw new BadUserInputError(`overlapSeconds must be between 0 and ${MAX_OVERLAP_SECONDS}`, { field: 'overlapSeconds' });
    const webhook = await this.find(tenantId, id);
    const secret = newWebhookSecret();
    const [current] = webhook.secrets.filter((s) => s.expiresAt === null);
    const previous = current && overlapSeconds > 0 ? [{ ...current, expiresAt: new Date(now.getTime() + overlapSeconds * 1000) }] : [];
    const next: WebhookDocument = { ...webhook, secrets: [{ value: secret, createdAt: now, expiresAt: null }, ...previous], updatedAt: now, version: webhook.version + 1 };
    await this.webhooks.replace(next);
    return { webhook: next, secret };
  }
}
