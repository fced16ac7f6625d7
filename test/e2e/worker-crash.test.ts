import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import { newEvent } from '../../lib/bus/index.js';
import { connectDatabase, databaseName, type Database } from '../../lib/mongo.js';
import { startProcess, stopAll, type RunningProcess } from '../../lib/supervisor.js';
import { analysisWorkerSpec } from '../../lib/stack.js';
import { generateReviews } from '../../scripts/demo/catalogue.js';
import { eventually, freshBus } from '../support/fixtures.js';
import { testInfra } from '../support/infra.js';

const REVIEWS = 10_000;
const processes: RunningProcess[] = [];
let database: Database | undefined;

afterAll(async () => {
  await stopAll(processes);
  await database?.db.dropDatabase();
  await database?.close();
});

describe('analysis workers under SIGKILL', () => {
  it('loses no review and applies no analysis twice when a worker is killed mid-batch during a 10,000-review run', async () => {
    const { bus, topics } = await freshBus('crash');
    const prefix = topics.stream.name.toLowerCase().replace(/_reviews$/, '');
    const namespace = topics.submitted.replace(/\.review\.submitted$/, '');
    database = await connectDatabase(testInfra().mongoUri, databaseName(prefix, 'analysis'));
    const env = { ...testInfra(), MONGODB_URI: testInfra().mongoUri, NATS_URL: testInfra().natsUrl, DB_PREFIX: prefix, BUS_NAMESPACE: namespace, WORKER_ACK_WAIT_MS: '3000', LOG_LEVEL: 'warn' };
    const ready: Array<Promise<void>> = [];
    const startWorker = (name: string) => {
      let onReady!: () => void;
      ready.push(new Promise<void>((resolve) => { onReady = resolve; }));
      const proc = startProcess(analysisWorkerSpec(name, { ...env, LOG_LEVEL: 'info' }), (line) => { if (line.includes('analysis worker ready')) onReady(); });
      processes.push(proc);
      return proc;
    };
    const victim = startWorker('worker-victim');
    startWorker('worker-survivor');
    await Promise.all(ready);

    const reviews = generateReviews(REVIEWS, 11);
    const texts = reviews.map((r) => r.text);
    const ids = texts.map((_, i) => `rev_${i.toString(16).padStart(24, '0')}`);
    const published = await bus.publishMany(texts.map((text, i) => ({
      subject: topics.submitted,
      event: newEvent('review.submitted', 'crash-tenant', { reviewId: ids[i], productId: 'prd_crash', productCategory: 'sport-watch', text, locale: 'en-US', createdAt: '2026-01-01T00:00:00.000Z' }),
    })));
    expect(published.failed).toEqual([]);

    const jsm = await jetstreamManager(bus.connection);
    const analyzedEvents = async () => (await jsm.streams.info(topics.stream.name, { subjects_filter: topics.analyzed })).state.subjects?.[topics.analyzed] ?? 0;
    // Kill the victim while both workers are busy: its in-flight batches are neither stored nor acked.
    await eventually(async () => ((await analyzedEvents()) >= 2_000 ? true : undefined), 120_000, '2,000 reviews analysed');
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    expect((await bus.consumerStats(topics.stream.name, 'analysis')).ackPending, 'messages were in flight when the worker died').toBeGreaterThan(0);

    await eventually(async () => ((await analyzedEvents()) >= REVIEWS ? true : undefined), 240_000, 'every review analysed');
    const docs = await database.db.collection('analyses').find({}, { projection: { _id: 1, revision: 1, status: 1 } }).toArray();
    expect(docs.length).toBe(REVIEWS);
    expect(new Set(docs.map((d) => d._id as unknown as string))).toEqual(new Set(ids));
    expect(docs.filter((d) => d.revision !== 1)).toEqual([]);
    const expected = (i: number) => (reviews[i]!.locale === 'en-US' ? 'DONE' : 'UNSUPPORTED_LANGUAGE');
    const statusOf = new Map(docs.map((d) => [d._id as unknown as string, d.status]));
    expect(ids.filter((id, i) => statusOf.get(id) !== expected(i))).toEqual([]);
    // One review.analyzed per review: redelivered batches republished under the same event id, stored once.
    expect(await analyzedEvents()).toBe(REVIEWS);
    const stats = await bus.consumerStats(topics.stream.name, 'analysis');
    expect(stats.deadLetters).toBe(0);
  }, 400_000);
});
