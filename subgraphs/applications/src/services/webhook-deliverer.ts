import type { Logger } from '../../../../lib/logger.js';
import { isDeliverable, signingSecrets, type WebhookDocument, type WebhookHealthDocument } from '../models/webhook.js';
import type { AttemptStatus, WebhookDeliveryDocument, WebhookQueueDocument } from '../models/webhook-delivery.js';
import type { WebhookDeliveryRepository } from '../repositories/webhook-delivery-repository.js';
import type { WebhookRepository } from '../repositories/webhook-repository.js';
import { postWebhook, type AttemptOutcome } from './webhook-http.js';
import { retryDelayMs, type WebhookRetryPolicy } from './webhook-retry-policy.js';
import { signatureHeader, WEBHOOK_HEADERS } from './webhook-signature.js';
import type { UrlPolicy } from './webhook-url-guard.js';

export interface DelivererSettings {
  retry: WebhookRetryPolicy;
  /** One attempt's whole budget (connect, headers, body). */
  attemptTimeoutMs: number;
  /** Attempts in flight at once across webhooks ... */
  concurrency: number;
  /** ... and per webhook, so a slow receiver holds only these slots. */
  perWebhookConcurrency: number;
  pollIntervalMs: number;
  urlPolicy: UrlPolicy;
}

export interface DelivererDeps { webhooks: WebhookRepository; deliveries: WebhookDeliveryRepository; log: Logger }

/** A queue entry is leased this long past the attempt's timeout, so a process that died mid-attempt leaves it to be retried. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Attempts queued deliveries: signs each attempt afresh, records it in the webhook's log, retries
 * failures with backoff, gives a delivery up after the last attempt, and disables a webhook whose
 * attempts keep failing. A webhook has at most `perWebhookConcurrency` attempts in flight, so a slow
 * receiver holds those slots only.
 */
export class WebhookDeliverer {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perWebhook = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  /** Attempts made by this process, by outcome (for metrics). */
  readonly attempts: Record<AttemptStatus, number> = { DELIVERED: 0, RETRYING: 0, FAILED: 0, CANCELLED: 0 };

  constructor(private readonly deps: DelivererDeps, private readonly settings: DelivererSettings) {}

  start(): this {
    const tick = () => {
      if (this.stopped) return;
      this.polling = this.poll().catch((error) => this.deps.log.error({ err: error }, 'webhook queue poll failed')).finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.settings.pollIntervalMs);
      });
    };
    tick();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.inFlight.values());
  }

  /** Starts attempts for the due entries that fit the free slots. */
  async poll(now = new Date()): Promise<void> {
    const free = this.settings.concurrency - this.inFlight.size;
    if (free <= 0) return;
    const full = () => [...this.perWebhook].filter(([, n]) => n >= this.settings.perWebhookConcurrency).map(([id]) => id);
    const due = await this.deps.deliveries.due(now, Math.max(50, free * 4), full());
    for (const entry of due) {
      if (this.inFlight.size >= this.settings.concurrency) break;
      const running = this.perWebhook.get(entry.webhookId) ?? 0;
      if (this.inFlight.has(entry._id) || running >= this.settings.perWebhookConcurrency) continue;
      this.perWebhook.set(entry.webhookId, running + 1);
      const run = this.attempt(entry)
        .catch((error) => this.deps.log.error({ err: error, deliveryId: entry._id }, 'webhook attempt bookkeeping failed; the lease expires and it is retried'))
        .finally(() => {
          this.inFlight.delete(entry._id);
          const left = (this.perWebhook.get(entry.webhookId) ?? 1) - 1;
          if (left > 0) this.perWebhook.set(entry.webhookId, left);
          else this.perWebhook.delete(entry.webhookId);
        });
      this.inFlight.set(entry._id, run);
    }
  }

  private async attempt(entry: WebhookQueueDocument): Promise<void> {
    const { deliveries, webhooks } = this.deps;
    const started = new Date();
    await deliveries.reschedule(entry, entry.attempts, new Date(started.getTime() + this.settings.attemptTimeoutMs + LEASE_MARGIN_MS));
    const delivery = (await deliveries.findDeliveries(entry.tenantId, [entry._id])).get(entry._id);
    if (!delivery) return deliveries.dequeue(entry._id);
    const webhook = (await webhooks.findByIds(entry.tenantId, [entry.webhookId])).get(entry.webhookId);
    const health = (await webhooks.findHealth(entry.tenantId, [entry.webhookId])).get(entry.webhookId);
    if (!webhook || !isDeliverable(webhook, health)) {
      await this.finish(delivery, entry, 'CANCELLED', { ok: false, httpStatus: null, latencyMs: null, error: webhook ? 'the webhook is disabled' : 'the webhook was deleted' }, started);
      return;
    }
    const attempt = entry.attempts + 1;
    const timestamp = Math.floor(started.getTime() / 1000);
    const headers = {
      [WEBHOOK_HEADERS.id]: delivery._id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: signatureHeader(signingSecrets(webhook, started), timestamp, delivery.body),
      'reviewgraph-webhook-event': delivery.eventType,
      'reviewgraph-webhook-attempt': String(attempt),
    };
    const outcome = await postWebhook(webhook.url, headers, delivery.body, { timeoutMs: this.settings.attemptTimeoutMs, policy: this.settings.urlPolicy });
    const at = new Date();
    if (outcome.ok) {
      if (health && health.consecutiveFailures > 0) await webhooks.saveHealth({ ...health, consecutiveFailures: 0, failingSince: null, lastError: null, updatedAt: at });
      await this.finish(delivery, { ...entry, attempts: attempt }, 'DELIVERED', outcome, started);
      return;
    }
    const disabled = await this.countFailure(webhook, health, outcome, at);
    if (disabled || attempt >= this.settings.retry.maxAttempts) {
      await this.finish(delivery, { ...entry, attempts: attempt }, 'FAILED', outcome, started);
      return;
    }
    const next = new Date(at.getTime() + retryDelayMs(this.settings.retry, attempt));
    await deliveries.recordAttempt({ ...this.logRow(delivery, attempt, 'RETRYING', outcome, started), nextAttemptAt: next });
    this.attempts.RETRYING += 1;
    await deliveries.settle(delivery, { status: 'PENDING', attempts: attempt, updatedAt: at });
    await deliveries.reschedule(entry, attempt, next);
  }

  /** Records a final attempt (or a cancellation), settles the delivery and removes it from the queue. */
  private async finish(delivery: WebhookDeliveryDocument, entry: WebhookQueueDocument, status: AttemptStatus, outcome: Omit<AttemptOutcome, 'latencyMs'> & { latencyMs: number | null }, started: Date): Promise<void> {
    const attempt = status === 'CANCELLED' ? entry.attempts + 1 : entry.attempts;
    await this.deps.deliveries.recordAttempt(this.logRow(delivery, attempt, status, outcome, started));
    this.attempts[status] += 1;
    await this.deps.deliveries.settle(delivery, { status: status === 'DELIVERED' ? 'DELIVERED' : status === 'CANCELLED' ? 'CANCELLED' : 'FAILED', attempts: entry.attempts, updatedAt: new Date() });
    await this.deps.deliveries.dequeue(delivery._id);
  }

  private logRow(delivery: WebhookDeliveryDocument, attempt: number, status: AttemptStatus, outcome: { httpStatus: number | null; latencyMs: number | null; error: string | null }, started: Date) {
    return {
      tenantId: delivery.tenantId, webhookId: delivery.webhookId, deliveryId: delivery._id, eventId: delivery.eventId, eventType: delivery.eventType,
      attempt, status, httpStatus: outcome.httpStatus, latencyMs: outcome.latencyMs, error: outcome.error, attemptedAt: started, nextAttemptAt: null,
    };
  }

  /** Counts a failed attempt against the webhook; disables it (returns true) after sustained failure. */
  private async countFailure(webhook: WebhookDocument, health: WebhookHealthDocument | undefined, outcome: AttemptOutcome, at: Date): Promise<boolean> {
    // Failures from before the owner last enabled it do not count.
    const fresh = !health?.failingSince || health.failingSince.getTime() < webhook.enabledAt.getTime();
    const failingSince = fresh ? at : health!.failingSince!;
    const consecutiveFailures = fresh ? 1 : health!.consecutiveFailures + 1;
    const { disableAfterFailures, disableAfterMs } = this.settings.retry;
    const disable = consecutiveFailures >= disableAfterFailures && at.getTime() - failingSince.getTime() >= disableAfterMs;
    const disabledReason = disable ? `disabled automatically after ${consecutiveFailures} consecutive failed attempts since ${failingSince.toISOString()}; last: ${outcome.error}` : (health?.disabledReason ?? null);
    await this.deps.webhooks.saveHealth({
      _id: webhook._id, tenantId: webhook.tenantId, consecutiveFailures, failingSince, lastError: outcome.error,
      disabledAt: disable ? at : (health?.disabledAt ?? null), disabledReason, updatedAt: at,
    });
    if (disable) {
      await this.deps.deliveries.dropQueued(webhook.tenantId, webhook._id);
      this.deps.log.warn({ webhookId: webhook._id, tenantId: webhook.tenantId, consecutiveFailures }, 'webhook disabled after sustained failure; its queued deliveries are dropped');
    }
    return disable;
  }
}
