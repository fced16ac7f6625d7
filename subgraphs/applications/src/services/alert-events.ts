import type { Bus } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import { ALERT_RAISED, alertEvent, alertEventId, type AlertEventType, type AlertTopics } from '../events.js';
import type { AlertDocument } from '../models/alert.js';
import type { AlertEventOutboxRepository } from '../repositories/alert-event-outbox-repository.js';
import type { AlertRepository } from '../repositories/alert-repository.js';

/** An outbox entry whose alert never reached the state it announces is dropped once no write can still land. */
const DROP_UNMATCHED_AFTER_MS = 10 * 60_000;

/**
 * Alert events with the project's outbox guarantee: `record` before the alert is written, `publish`
 * after; a crash or a bus outage in between is repaired by `sweep`, which rebuilds the event from the
 * stored alert (the fixed event id makes a double publish harmless).
 */
export class AlertEvents {
  constructor(private readonly deps: { outbox: AlertEventOutboxRepository; alerts: AlertRepository; bus: Pick<Bus, 'publish' | 'publishMany'>; topics: AlertTopics; log: Logger }) {}

  async record(type: AlertEventType, alert: AlertDocument, now = new Date()): Promise<void> {
    await this.deps.outbox.add({ _id: alertEventId(type, alert._id), tenantId: alert.tenantId, alertId: alert._id, type, createdAt: now });
  }

  /** Publishes and clears the entry; a failure leaves it to the sweeper. */
  async publish(type: AlertEventType, alert: AlertDocument): Promise<void> {
    const item = alertEvent(this.deps.topics, type, alert);
    try {
      await this.deps.bus.publish(item.subject, item.event);
      await this.deps.outbox.remove([item.event.id]);
    } catch (error) {
      this.deps.log.warn({ err: error, alertId: alert._id, type }, 'alert event not published yet; the outbox sweeper retries it');
    }
  }

  /** Republishes entries older than `olderThanMs` whose alert is in the state the event announces. */
  async sweep(olderThanMs: number, now = new Date()): Promise<{ republished: number; dropped: number }> {
    const stale = await this.deps.outbox.listStale(new Date(now.getTime() - olderThanMs), 500);
    const result = { republished: 0, dropped: 0 };
    const byTenant = new Map<string, typeof stale>();
    for (const entry of stale) byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
    for (const [tenantId, entries] of byTenant) {
      const alerts = await this.deps.alerts.findByIds(tenantId, entries.map((e) => e.alertId));
      const items = [];
      const drop = [];
      for (const entry of entries) {
        const alert = alerts.get(entry.alertId);
        const matches = alert && (entry.type === ALERT_RAISED || alert.status === 'RESOLVED');
        if (matches) items.push(alertEvent(this.deps.topics, entry.type, alert));
        else if (now.getTime() - entry.createdAt.getTime() > DROP_UNMATCHED_AFTER_MS) drop.push(entry._id);
      }
      const { published } = await this.deps.bus.publishMany(items);
      await this.deps.outbox.remove([...published, ...drop]);
      result.republished += published.length;
      result.dropped += drop.length;
    }
    if (result.republished + result.dropped > 0) this.deps.log.info(result, 'alert event outbox swept');
    return result;
  }

  /** Sweeps on an interval until stopped. */
  startSweeper(opts: { intervalMs: number; olderThanMs: number }): { stop(): Promise<void> } {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = this.sweep(opts.olderThanMs).catch((error) => this.deps.log.error({ err: error }, 'alert event outbox sweep failed'));
    }, opts.intervalMs);
    timer.unref();
    return { async stop() { clearInterval(timer); await running; } };
  }
}
