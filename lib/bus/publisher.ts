import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
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
/** Events per atomic batch: well under JetStream's default limit of 1,000 messages per batch. */
export const ATOMIC_BATCH_SIZE = 500;

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
 * Publishes events in atomic batches of up to {@link ATOMIC_BATCH_SIZE} (JetStream 2.12+, streams
 * with `allow_atomic`): the server stores a batch whole or not at all and acknowledges its commit
 * only once every message of it is stored, with one fsync per batch under sync-always instead of one
 * per message. A batch the server refuses (an event id it already holds, no atomic publishing on
 * the stream or server, too many open batches) or whose commit gets no answer goes out again one
 * event at a time ({@link publishEvents}), where ids already stored count as published; an event
 * that ends up stored by both attempts is stored once, its id deduplicating the second.
 */
export async function publishEventBatches(
  js: JetStreamClient,
  items: PublishItem[],
  timeoutMs: number,
  inFlight = DEFAULT_PUBLISH_IN_FLIGHT,
): Promise<PublishManyResult> {
  if (items.length < 2) return publishEvents(js, items, timeoutMs, inFlight);
  const chunks: PublishItem[][] = [];
  for (let start = 0; start < items.length; start += ATOMIC_BATCH_SIZE) chunks.push(items.slice(start, start + ATOMIC_BATCH_SIZE));
  const results = await Promise.all(chunks.map(async (chunk) => {
    if (chunk.length > 1 && (await publishAtomically(js, chunk, timeoutMs))) return { published: chunk.map((item) => item.event.id), failed: [] };
    return publishEvents(js, chunk, timeoutMs, inFlight);
  }));
  return { published: results.flatMap((r) => r.published), failed: results.flatMap((r) => r.failed) };
}

/** One atomic batch; true once its commit is acknowledged, false when the server refused it or did not answer. */
async function publishAtomically(js: JetStreamClient, items: PublishItem[], timeoutMs: number): Promise<boolean> {
  const options = (item: PublishItem) => {
    const h = headers();
    h.set('Nats-Msg-Id', item.event.id);
    return { headers: h, timeout: timeoutMs };
  };
  const [first, ...rest] = items;
  const last = rest.pop()!;
  try {
    const batch = await js.startBatch(first!.subject, encodeEnvelope(first!.event), options(first!));
    for (const item of rest) batch.add(item.subject, encodeEnvelope(item.event), options(item));
    // the client checks that the acknowledged batch holds every message sent
    await batch.commit(last.subject, encodeEnvelope(last.event), options(last));
    return true;
  } catch {
    return false;
  }
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
