import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, newEvent } from '../../lib/bus/index.js';
import type { Bus, StreamSpec } from '../../lib/bus/index.js';
import { testInfra } from '../support/infra.js';

let admin: NatsConnection;
let jsm: JetStreamManager;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  admin = await connect({ servers: testInfra().natsUrl, name: 'bus-batches-test-admin' });
  jsm = await jetstreamManager(admin);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await admin?.close();
});

function uniqueStream(): { spec: StreamSpec; subject: string } {
  const suffix = randomBytes(4).toString('hex');
  const spec: StreamSpec = { name: `BATCHTEST_${suffix.toUpperCase()}`, subjects: [`batchtest${suffix}.>`] };
  cleanups.push(() => jsm.streams.delete(spec.name));
  cleanups.push(() => jsm.streams.delete(`${spec.name}_DLQ`));
  return { spec, subject: `batchtest${suffix}.created` };
}

async function openBus(spec: StreamSpec): Promise<Bus> {
  const bus = await connectBus({ natsUrl: testInfra().natsUrl, name: 'bus-batches-test', streams: [spec] });
  cleanups.push(() => bus.close());
  return bus;
}

/** Every message of the stream, in order: its event id and the atomic batch it was stored in (if any). */
async function storedMessages(stream: string): Promise<Array<{ id: string; batch: string | undefined }>> {
  const total = (await jsm.streams.info(stream)).state.messages;
  const consumer = await jetstream(admin).consumers.get(stream);
  const out: Array<{ id: string; batch: string | undefined }> = [];
  while (out.length < total) {
    const messages = await consumer.fetch({ max_messages: total - out.length, expires: 2_000 });
    for await (const m of messages) out.push({ id: (m.json() as { id: string }).id, batch: m.headers?.get('Nats-Batch-Id') || undefined });
  }
  return out;
}

const events = (n: number, from = 0) => Array.from({ length: n }, (_, i) => newEvent('widget.created', 'tenant-a', { i: from + i }, { id: `widget-${from + i}` }));

describe('publishMany in atomic batches', () => {
  it('stores the events of one call in atomic batches of up to 500, each acknowledged only once stored', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const batch = events(1_200);

    const result = await bus.publishMany(batch.map((event) => ({ subject, event })));

    expect(result.failed).toEqual([]);
    expect(result.published).toEqual(batch.map((e) => e.id));
    // acknowledged means stored: every event is on the stream once the call returns, in order
    const stored = await storedMessages(spec.name);
    expect(stored.map((m) => m.id)).toEqual(batch.map((e) => e.id));
    // three commits (500, 500, 200): one fsync each under sync-always, rather than one per event
    const batches = [...new Set(stored.map((m) => m.batch))];
    expect(batches).toHaveLength(3);
    expect(batches.every((b) => b !== undefined)).toBe(true);
    expect(batches.map((b) => stored.filter((m) => m.batch === b).length)).toEqual([500, 500, 200]);
  });

  it('stores each event once and reports all published when a call repeats events the stream already holds', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const first = events(50);
    await bus.publishMany(first.map((event) => ({ subject, event })));

    // JetStream refuses an atomic batch holding a stored id: the call falls back to single publishes
    const mixed = [...events(25, 25), ...events(50, 50)];
    const result = await bus.publishMany(mixed.map((event) => ({ subject, event })));

    expect(result.failed).toEqual([]);
    expect(result.published).toEqual(mixed.map((e) => e.id));
    const stored = await storedMessages(spec.name);
    expect(stored.map((m) => m.id)).toEqual(events(100).map((e) => e.id));
  });

  it('turns atomic publishing on for a stream created before it', async () => {
    const { spec, subject } = uniqueStream();
    await jsm.streams.add({ name: spec.name, subjects: spec.subjects });
    expect((await jsm.streams.info(spec.name)).config.allow_atomic ?? false).toBe(false);

    const bus = await openBus(spec);
    expect((await jsm.streams.info(spec.name)).config.allow_atomic).toBe(true);
    await bus.publishMany(events(10).map((event) => ({ subject, event })));
    const stored = await storedMessages(spec.name);
    expect(stored).toHaveLength(10);
    expect(new Set(stored.map((m) => m.batch)).size).toBe(1);
  });
});
