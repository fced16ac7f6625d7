// A running analysis worker whose database is unreachable for longer than its handler attempts last
// (WORKER_MAX_DELIVER 2: two failed attempts, 10 s of server selection each, dead-letter a message that
// fails for a reason of its own). Failing to reach the database says nothing about the message: nothing
// may be dead-lettered for it, and every review is analysed once the database is back.
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import { deadLetterStreamName } from '../../lib/bus/streams.js';
import { connectBus, newEvent, type Bus, type PublishItem } from '../../lib/bus/index.js';
import { connectDatabase, databaseName, type Database } from '../../lib/mongo.js';
import { reviewTopics } from '../../lib/streams.js';
import { startProcess, stopAll, type RunningProcess } from '../../lib/supervisor.js';
import { eventually, silentLog } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const REVIEWS = 20;
/** Longer than two attempts of 10 s server selection plus the 1 s backoff between them. */
const OUTAGE_MS = 30_000;
const TENANT = 'tenant-outage';
const namespace = uniqueName('outage').toLowerCase();
const topics = reviewTopics(namespace);

let proxy: TcpProxy | undefined;
let bus: Bus | undefined;
let analysis: Database | undefined;
const processes: RunningProcess[] = [];
afterAll(async () => {
  await stopAll(processes, 5_000);
  await proxy?.close();
  await analysis?.db.dropDatabase().catch(() => undefined);
  await analysis?.close();
  if (bus) {
    const jsm = await jetstreamManager(bus.connection);
    for (const stream of [topics.stream.name, deadLetterStreamName(topics.stream)]) await jsm.streams.delete(stream).catch(() => undefined);
    await bus.close();
  }
});

function review(n: number): PublishItem {
  const reviewId = `rev_${n.toString(16).padStart(24, '0')}`;
  const payload = { reviewId, productId: 'prd_0a0000000000000000000001', rating: 1 + (n % 5), text: `Review ${n}: the battery lasts two days and the strap is comfortable.`, productCategory: 'sport-watch', title: null, locale: 'en-US', createdAt: '2026-02-01T10:00:00.000Z' };
  return { subject: topics.submitted, event: newEvent('review.submitted', TENANT, payload, { id: `review.submitted:${reviewId}` }) };
}

describe('a consumer process while its database is unreachable', () => {
  it('dead-letters nothing and handles every message once the database is back', async () => {
    const { mongoUri, natsUrl } = testInfra();
    proxy = await startTcpProxy(Number(new URL(mongoUri).port));
    bus = await connectBus({ natsUrl, name: 'outage-test', log: silentLog, streams: [topics.stream] });
    let onReady!: () => void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const worker = startProcess(
      {
        name: 'analysis-worker',
        entry: 'subgraphs/analysis/src/worker.ts',
        env: { MONGODB_URI: `mongodb://127.0.0.1:${proxy.port}/`, NATS_URL: natsUrl, DB_PREFIX: namespace, BUS_NAMESPACE: namespace, WORKER_MAX_DELIVER: '2', WORKER_ACK_WAIT_MS: '3000', LOG_LEVEL: 'info' },
      },
      (line) => {
        if (line.includes('analysis worker ready')) onReady();
      },
    );
    processes.push(worker);
    await Promise.race([ready, worker.ended.then((s) => Promise.reject(new Error(`worker ended before ready: ${JSON.stringify(s)} ${worker.lastError}`)))]);

    await proxy.cut();
    expect((await bus.publishMany(Array.from({ length: REVIEWS }, (_, n) => review(n)))).failed).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const during = await bus.consumerStats(topics.stream.name, 'analysis');
    await proxy.restore();

    analysis = await connectDatabase(mongoUri, databaseName(namespace, 'analysis'), { log: silentLog });
    const analysed = await eventually(async () => {
      const n = await analysis!.db.collection('analyses').countDocuments({ tenantId: TENANT });
      return n === REVIEWS ? n : undefined;
    }, 45_000, `${REVIEWS} reviews analysed after the outage`).catch(async (error: Error) => {
      const letters = await bus!.deadLetters(topics.stream.name, { durable: 'analysis' });
      throw new Error(`${error.message}; dead letters: ${letters.length} (${letters[0]?.reason ?? 'none'})`);
    });
    expect(analysed).toBe(REVIEWS);
    expect(during.deadLetters, 'dead letters during the outage').toBe(0);
    const after = await eventually(async () => {
      const stats = await bus!.consumerStats(topics.stream.name, 'analysis');
      return stats.pending === 0 && stats.ackPending === 0 ? stats : undefined;
    }, 20_000, 'every event acknowledged');
    expect(after.deadLetters).toBe(0);
    expect(worker.child.exitCode, 'worker still running').toBeNull();
  }, 150_000);
});
