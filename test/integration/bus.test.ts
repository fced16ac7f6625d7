import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, newEvent } from '../../lib/bus/index.js';
import type { Bus, EventEnvelope, StreamSpec } from '../../lib/bus/index.js';
import { testInfra } from '../support/infra.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

let natsUrl: string;
let admin: NatsConnection;
let jsm: JetStreamManager;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  natsUrl = testInfra().natsUrl;
  admin = await connect({ servers: natsUrl, name: 'bus-test-admin' });
  jsm = await jetstreamManager(admin);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await admin?.close();
});

/** A stream of its own for one test, deleted (with its dead-letter stream) afterwards. */
function uniqueStream(): { spec: StreamSpec; subject: (leaf: string) => string } {
  const suffix = randomBytes(4).toString('hex');
  const spec: StreamSpec = { name: `BUSTEST_${suffix.toUpperCase()}`, subjects: [`bustest${suffix}.>`] };
  cleanups.push(() => jsm.streams.delete(spec.name));
  cleanups.push(() => jsm.streams.delete(`${spec.name}_DLQ`));
  return { spec, subject: (leaf) => `bustest${suffix}.${leaf}` };
}

async function openBus(spec: StreamSpec, name = 'bus-test'): Promise<Bus> {
  const bus = await connectBus({ natsUrl, name, streams: [spec] });
  // Registered after the stream cleanups, so it runs before them.
  cleanups.push(() => bus.close());
  return bus;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('lib/bus on embedded NATS JetStream', () => {
  it('delivers a published event intact and stores a re-published event id once', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const event = newEvent('widget.created', 'tenant-a', { name: 'w1', size: 3 }, { requestId: 'req-1' });

    await bus.publish(subject('created'), event);
    await bus.publish(subject('created'), event);
    expect((await jsm.streams.info(spec.name)).state.messages).toBe(1);

    const received: Array<{ event: EventEnvelope; subject: string; deliveryCount: number }> = [];
    const consumer = await bus.consume({
      stream: spec.name,
      durable: 'roundtrip',
      handler: async (e, ctx) => {
        received.push({ event: e, subject: ctx.subject, deliveryCount: ctx.deliveryCount });
      },
    });
    await waitFor(() => consumer.processed === 1, 3_000, 'the event to be handled');
    await consumer.stop();

    expect(received).toEqual([{ event, subject: subject('created'), deliveryCount: 1 }]);
    const stats = await bus.consumerStats(spec.name, 'roundtrip');
    expect(stats.ackPending).toBe(0);
  });

  it('publishMany stores every event once, duplicates included, and reports them all published', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const events = Array.from({ length: 3_000 }, (_, i) => newEvent('widget.created', 'tenant-a', { i }));
    const items = events.map((event) => ({ subject: subject('created'), event }));

    const started = performance.now();
    const result = await bus.publishMany(items);
    const seconds = (performance.now() - started) / 1000;
    const again = await bus.publishMany(items.slice(0, 100));

    expect(result.failed).toEqual([]);
    expect(result.published).toEqual(events.map((e) => e.id));
    expect(again.published).toHaveLength(100);
    expect((await jsm.streams.info(spec.name)).state.messages).toBe(3_000);
    console.info(`publishMany: ${Math.round(3_000 / seconds)} events/s (256 in flight, sync-always)`);
  });

  it('retries a failing handler maxDeliver times with backoff, dead-letters it, keeps others flowing, and replays it', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const poison = newEvent('widget.created', 'tenant-a', { fail: true });
    const good = Array.from({ length: 5 }, (_, i) => newEvent('widget.created', 'tenant-a', { i }));
    await bus.publish(subject('created'), poison);
    await bus.publishMany(good.map((event) => ({ subject: subject('created'), event })));

    let healthy = false;
    const attempts: Array<{ at: number; deliveryCount: number }> = [];
    const handled = new Map<string, number>();
    const consumer = await bus.consume<{ fail?: boolean }>({
      stream: spec.name,
      durable: 'retrying',
      maxDeliver: 3,
      backoffMs: [150, 400],
      handler: async (e, ctx) => {
        if (e.data.fail && !healthy) {
          attempts.push({ at: Date.now(), deliveryCount: ctx.deliveryCount });
          throw new Error(`widget ${e.id} is broken`);
        }
        handled.set(e.id, Date.now());
      },
    });

    await waitFor(async () => (await bus.deadLetters(spec.name)).length === 1, 5_000, 'the dead letter');
    const [letter] = await bus.deadLetters(spec.name);
    expect(attempts.map((a) => a.deliveryCount)).toEqual([1, 2, 3]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(140);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(390);
    expect(letter).toMatchObject({
      originalSubject: subject('created'),
      event: poison,
      reason: `widget ${poison.id} is broken`,
      deliveries: 3,
      consumer: 'retrying',
    });
    // The good messages did not wait behind the retries.
    expect([...handled.keys()].sort()).toEqual(good.map((e) => e.id).sort());
    expect(Math.max(...handled.values())).toBeLessThan(attempts[1].at);
    expect((await bus.consumerStats(spec.name, 'retrying')).deadLetters).toBe(1);

    healthy = true;
    expect(await bus.replayDeadLetters(spec.name)).toBe(1);
    await waitFor(() => handled.has(poison.id), 3_000, 'the replayed event to be handled');
    expect(attempts).toHaveLength(3);
    expect(await bus.deadLetters(spec.name)).toEqual([]);
    expect(consumer.processed).toBe(6);
  });

  it('dead-letters bodies that are not envelopes without calling the handler, then goes on', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const raw = jetstream(admin);
    await raw.publish(subject('created'), 'this is {not json');
    await raw.publish(subject('created'), JSON.stringify({ id: 'x1', type: 'widget.created', data: {} }));
    const good = newEvent('widget.created', 'tenant-a', { ok: true });
    await bus.publish(subject('created'), good);

    const handled: string[] = [];
    await bus.consume({
      stream: spec.name,
      durable: 'strict',
      handler: async (e) => {
        handled.push(e.id);
      },
    });
    await waitFor(() => handled.length === 1, 3_000, 'the good event');
    await waitFor(async () => (await bus.deadLetters(spec.name)).length === 2, 3_000, 'two dead letters');

    expect(handled).toEqual([good.id]);
    const [notJson, noTenant] = await bus.deadLetters(spec.name);
    expect(notJson).toMatchObject({ event: null, raw: 'this is {not json', deliveries: 1, consumer: 'strict' });
    expect(notJson.reason).toMatch(/not JSON/);
    expect(noTenant.event).toBeNull();
    expect(noTenant.reason).toMatch(/tenantId/);
  });

  it('redelivers the message of a consumer process killed mid-handler to another process', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const event = newEvent('widget.created', 'tenant-a', { slow: true });
    await bus.publish(subject('created'), event);

    const child = spawn(
      `${root}node_modules/.bin/tsx`,
      ['test/support/bus-child.ts', natsUrl, spec.name, JSON.stringify(spec.subjects), 'crashy', '2000'],
      // Its own process group: tsx runs the script in a child node process, and a crash kills both.
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    cleanups.push(async () => {
      killGroup();
      await exited;
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => stdout.includes(`started ${event.id}`), 15_000, `the child to start (stderr: ${stderr})`);
    killGroup();
    await exited;
    const killedAt = Date.now();

    const received: Array<{ id: string; deliveryCount: number; at: number }> = [];
    await bus.consume({
      stream: spec.name,
      durable: 'crashy',
      ackWaitMs: 2_000,
      handler: async (e, ctx) => {
        received.push({ id: e.id, deliveryCount: ctx.deliveryCount, at: Date.now() });
      },
    });
    // Redelivered once ack_wait (2 s) runs out; the bound is loose because the machine may be busy.
    await waitFor(() => received.length === 1, 15_000, 'the redelivery');
    expect(received[0]).toMatchObject({ id: event.id, deliveryCount: 2 });
    expect(received[0].at - killedAt).toBeLessThan(15_000);
    // The ack goes out after the handler returns: wait for the server to have it.
    await waitFor(
      async () => (await bus.consumerStats(spec.name, 'crashy')).ackPending === 0,
      5_000,
      'the ack of the redelivery',
    );
    expect(await bus.consumerStats(spec.name, 'crashy')).toMatchObject({ pending: 0, ackPending: 0, redelivered: 0 });
  }, 30_000);

  it('splits messages between competing consumers of one durable, each message handled once', async () => {
    const { spec, subject } = uniqueStream();
    const busA = await openBus(spec, 'bus-test-a');
    const busB = await openBus(spec, 'bus-test-b');
    const seen = { a: [] as string[], b: [] as string[] };
    const handlerFor = (who: 'a' | 'b') => async (e: EventEnvelope) => {
      seen[who].push(e.id);
      await sleep(1);
    };
    await busA.consume({ stream: spec.name, durable: 'workers', maxMessages: 10, handler: handlerFor('a') });
    await busB.consume({ stream: spec.name, durable: 'workers', maxMessages: 10, handler: handlerFor('b') });

    const events = Array.from({ length: 200 }, (_, i) => newEvent('widget.created', 'tenant-a', { i }));
    await busA.publishMany(events.map((event) => ({ subject: subject('created'), event })));
    await waitFor(() => seen.a.length + seen.b.length >= 200, 10_000, 'all 200 messages');
    await sleep(200);

    expect(seen.a.length + seen.b.length).toBe(200);
    expect(seen.a.length).toBeGreaterThan(0);
    expect(seen.b.length).toBeGreaterThan(0);
    expect(seen.a.filter((id) => seen.b.includes(id))).toEqual([]);
    expect(new Set([...seen.a, ...seen.b])).toEqual(new Set(events.map((e) => e.id)));
  }, 15_000);

  it('reports pending messages and their age before consumption, and none after', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    await bus.ensureConsumer({ stream: spec.name, durable: 'stats' });
    const events = Array.from({ length: 5 }, (_, i) => newEvent('widget.created', 'tenant-a', { i }));
    await bus.publishMany(events.map((event) => ({ subject: subject('created'), event })));
    await sleep(100);

    const before = await bus.consumerStats(spec.name, 'stats');
    expect(before).toMatchObject({ pending: 5, ackPending: 0, redelivered: 0, deadLetters: 0 });
    expect(before.oldestPendingAgeMs).toBeGreaterThanOrEqual(90);
    expect(before.oldestPendingAgeMs).toBeLessThan(5_000);

    const consumer = await bus.consume({ stream: spec.name, durable: 'stats', handler: async () => undefined });
    await waitFor(() => consumer.processed === 5, 3_000, 'all 5 handled');
    await consumer.stop();

    const after = await bus.consumerStats(spec.name, 'stats');
    expect(after).toEqual({ pending: 0, ackPending: 0, redelivered: 0, oldestPendingAgeMs: null, deadLetters: 0 });
  });

  it('keeps a long batch alive with heartbeats and retries only the items that failed', async () => {
    const { spec, subject } = uniqueStream();
    const bus = await openBus(spec);
    const events = Array.from({ length: 4 }, (_, i) => newEvent('widget.created', 'tenant-a', { i }));
    await bus.publishMany(events.map((event) => ({ subject: subject('created'), event })));

    const calls: Array<Array<{ i: number; deliveryCount: number }>> = [];
    const consumer = await bus.consume<{ i: number }>({
      stream: spec.name,
      durable: 'batcher',
      ackWaitMs: 1_000,
      backoffMs: [100],
      batch: {
        size: 10,
        handler: async (items) => {
          calls.push(items.map((it) => ({ i: it.event.data.i, deliveryCount: it.deliveryCount })));
          if (calls.length === 1) await sleep(1_600); // longer than ack_wait
          return items.map((it) => (it.event.data.i === 2 && it.deliveryCount === 1 ? new Error('item 2 failed') : undefined));
        },
      },
    });
    await waitFor(() => consumer.processed === 4, 5_000, 'all 4 handled');
    await sleep(300);

    const firstDeliveries = calls.flat().filter((c) => c.deliveryCount === 1).map((c) => c.i).sort();
    expect(firstDeliveries).toEqual([0, 1, 2, 3]);
    expect(calls.flat().filter((c) => c.deliveryCount > 1)).toEqual([{ i: 2, deliveryCount: 2 }]);
  }, 10_000);
});

describe('a handler that never settles', () => {
  it('is given up after handlerTimeoutMs: no longer kept alive, its batch goes to another consumer, and its late result is dropped', async () => {
    const { spec, subject } = uniqueStream();
    const busA = await openBus(spec, 'bus-test-stuck');
    const busB = await openBus(spec, 'bus-test-healthy');
    const event = newEvent('widget.created', 'tenant-a', { stuck: true });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    cleanups.push(async () => release());
    const stuckSaw: number[] = [];
    // A batch stuck on a dead connection: heartbeats alone would keep it off every other consumer for ever.
    const stuck = await busA.consume<{ stuck: boolean }>({
      stream: spec.name,
      durable: 'stuck',
      ackWaitMs: 4_000,
      backoffMs: [100],
      handlerTimeoutMs: 2_000,
      batch: {
        size: 10,
        handler: async (items) => {
          stuckSaw.push(...items.map((it) => it.deliveryCount));
          await released;
          return items.map(() => undefined);
        },
      },
    });
    await busA.publish(subject('created'), event);
    await waitFor(() => stuckSaw.length === 1, 5_000, 'the stuck consumer to take the message');

    const healthy: Array<{ id: string; deliveryCount: number }> = [];
    const ok = await busB.consume<{ stuck: boolean }>({
      stream: spec.name,
      durable: 'stuck',
      ackWaitMs: 4_000,
      batch: {
        size: 10,
        handler: async (items) => {
          healthy.push(...items.map((it) => ({ id: it.event.id, deliveryCount: it.deliveryCount })));
          return items.map(() => undefined);
        },
      },
    });
    // Redelivered after the 2 s deadline (plus a 100 ms backoff) rather than kept alive by heartbeats; the
    // stuck call still runs, but its worker is free again, so either consumer may take it and B will.
    await waitFor(() => healthy.length >= 1, 15_000, 'the redelivery to the healthy consumer');
    expect(healthy[0]?.id).toBe(event.id);
    expect(healthy[0]?.deliveryCount).toBeGreaterThanOrEqual(2);
    await waitFor(() => ok.processed === 1, 5_000, 'the healthy ack');

    // The stuck call settles late: its result must not ack or count the message a second time.
    release();
    await sleep(500);
    expect(stuck.processed).toBe(0);
    expect(healthy).toHaveLength(1);
    await waitFor(async () => (await busB.consumerStats(spec.name, 'stuck')).ackPending === 0, 5_000, 'no message left in flight');
    expect(await busB.consumerStats(spec.name, 'stuck')).toMatchObject({ pending: 0, ackPending: 0, deadLetters: 0 });
  }, 30_000);
});
