import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeEnvelope } from './events.js';
import type { EventEnvelope } from './events.js';

export interface PublishItem {
  subject: string;
  event: EventEnvelope;
}

export interface PublishManyResult {
  /** Ids JetStream acknowledged (stored now or already stored earlier under the same id). */
  published: string[];
  failed: { id: string; error: string }[];
}

export const DEFAULT_PUBLISH_IN_FLIGHT = 256;

/** Resolves only once JetStream acknowledged the event; the event id is the dedupe key. */
export async function publishEvent(
  js: JetStreamClient,
  subject: string,
  event: EventEnvelope,
  timeoutMs: number,
): Promise<void> {
  await js.publish(subject, encodeEnvelope(event), { msgID: event.id, timeout: timeoutMs });
}

/**
 * Pipelines publishes with up to `inFlight` awaiting their ack. With sync-always storage each ack
 * waits for an fsync; keeping many in flight lets the server batch those, which wins the rate back.
 */
export async function publishEvents(
  js: JetStreamClient,
  items: PublishItem[],
  timeoutMs: number,
  inFlight = DEFAULT_PUBLISH_IN_FLIGHT,
): Promise<PublishManyResult> {
  const outcome: Array<{ id: string; error?: string }> = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      const { subject, event } = items[index];
      try {
        await publishEvent(js, subject, event, timeoutMs);
        outcome[index] = { id: event.id };
      } catch (err) {
        outcome[index] = { id: event.id, error: (err as Error).message || String(err) };
      }
    }
  };
  const lanes = Math.max(1, Math.min(inFlight, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  const result: PublishManyResult = { published: [], failed: [] };
  for (const o of outcome) {
    if (o.error === undefined) result.published.push(o.id);
    else result.failed.push({ id: o.id, error: o.error });
  }
  return result;
}
