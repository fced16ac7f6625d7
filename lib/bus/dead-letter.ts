import type { JetStreamClient, JetStreamManager, JsMsg, StoredMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { parseEnvelope } from './events.js';
import type { EventEnvelope } from './events.js';

/**
 * A dead letter is the original body, byte for byte, published to `dlq.<stream>.<durable>` on the
 * dead-letter stream, with what happened carried in headers (so a replay can send the exact bytes back).
 */
export interface DeadLetter {
  /** Sequence in the dead-letter stream. */
  seq: number;
  originalSubject: string;
  originalSeq: number;
  /** The envelope, or null when the body was not one (that is often why it is here). */
  event: EventEnvelope | null;
  raw: string;
  reason: string;
  deliveries: number;
  failedAt: string;
  consumer: string;
}

export const DLQ_HEADERS = {
  originalSubject: 'Rg-Dlq-Subject',
  originalSeq: 'Rg-Dlq-Seq',
  reason: 'Rg-Dlq-Reason',
  deliveries: 'Rg-Dlq-Deliveries',
  consumer: 'Rg-Dlq-Consumer',
  failedAt: 'Rg-Dlq-Failed-At',
  replayedFrom: 'Rg-Replayed-From',
} as const;

const MAX_REASON_LENGTH = 2000;

/** Header values cannot hold line breaks; keep reasons one bounded line. */
function headerSafe(value: string): string {
  const line = value.replace(/[\r\n]+/g, ' ').trim();
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH)}…` : line;
}

export interface DeadLetterTarget {
  dlqStream: string;
  subject: string;
  durable: string;
  sourceStream: string;
}

/** Publishes the dead letter and resolves once the dead-letter stream acknowledged it. */
export async function publishDeadLetter(
  js: JetStreamClient,
  target: DeadLetterTarget,
  msg: JsMsg,
  reason: string,
  timeoutMs: number,
): Promise<void> {
  const h = headers();
  h.set(DLQ_HEADERS.originalSubject, msg.subject);
  h.set(DLQ_HEADERS.originalSeq, String(msg.seq));
  h.set(DLQ_HEADERS.reason, headerSafe(reason) || 'unknown');
  h.set(DLQ_HEADERS.deliveries, String(msg.info.deliveryCount));
  h.set(DLQ_HEADERS.consumer, target.durable);
  h.set(DLQ_HEADERS.failedAt, new Date().toISOString());
  await js.publish(target.subject, msg.data, {
    headers: h,
    // A dead letter re-sent after a lost ack of the original is stored once.
    msgID: `dlq:${target.sourceStream}:${target.durable}:${msg.seq}`,
    expect: { streamName: target.dlqStream },
    timeout: timeoutMs,
  });
}

function toDeadLetter(m: StoredMsg): DeadLetter {
  const get = (k: string) => m.header?.get(k) ?? '';
  const parsed = parseEnvelope(m.data);
  return {
    seq: m.seq,
    originalSubject: get(DLQ_HEADERS.originalSubject),
    originalSeq: Number(get(DLQ_HEADERS.originalSeq)) || 0,
    event: parsed.ok ? parsed.event : null,
    raw: new TextDecoder().decode(m.data),
    reason: get(DLQ_HEADERS.reason),
    deliveries: Number(get(DLQ_HEADERS.deliveries)) || 0,
    failedAt: get(DLQ_HEADERS.failedAt) || m.time.toISOString(),
    consumer: get(DLQ_HEADERS.consumer),
  };
}

/** Walks the dead-letter stream in order, skipping gaps left by replayed (deleted) letters. */
async function* storedDeadLetters(
  jsm: JetStreamManager,
  dlqStream: string,
  subjectFilter: string,
): AsyncGenerator<StoredMsg> {
  let seq = 1;
  for (;;) {
    // STREAM.MSG.GET accepts `next_by_subj`: the first message at or after `seq` on that subject.
    const query = { seq, next_by_subj: subjectFilter } as unknown as { seq: number };
    const m = await jsm.streams.getMessage(dlqStream, query);
    if (!m) return;
    yield m;
    seq = m.seq + 1;
  }
}

export async function readDeadLetters(
  jsm: JetStreamManager,
  dlqStream: string,
  subjectFilter: string,
  limit: number,
): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  if (limit <= 0) return out;
  for await (const m of storedDeadLetters(jsm, dlqStream, subjectFilter)) {
    out.push(toDeadLetter(m));
    if (out.length >= limit) break;
  }
  return out;
}

/** Sends matching letters back to their original subject, then removes each from the dead-letter stream. */
export async function replayDeadLetters(
  js: JetStreamClient,
  jsm: JetStreamManager,
  dlqStream: string,
  subjectFilter: string,
  filter: ((d: DeadLetter) => boolean) | undefined,
  timeoutMs: number,
): Promise<number> {
  let replayed = 0;
  for await (const m of storedDeadLetters(jsm, dlqStream, subjectFilter)) {
    const letter = toDeadLetter(m);
    if (!letter.originalSubject || (filter && !filter(letter))) continue;
    const h = headers();
    h.set(DLQ_HEADERS.replayedFrom, `${dlqStream}:${m.seq}`);
    // Not the event id: the original publish would still be inside the duplicate window and the
    // replay would be dropped. Keyed by the letter instead, so a replay retried after a failed
    // delete is stored once.
    await js.publish(letter.originalSubject, m.data, {
      headers: h,
      msgID: `replay:${dlqStream}:${m.seq}`,
      timeout: timeoutMs,
    });
    await jsm.streams.deleteMessage(dlqStream, m.seq, false);
    replayed++;
  }
  return replayed;
}
