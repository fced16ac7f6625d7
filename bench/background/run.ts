// What the background paths cost per run as the store grows: the collection outbox sweeper's tick
// (with its idempotency expiry), the webhook worker's queue poll, the alert outbox sweep and one page
// of re-analysis, each at a small and a large store, measured in the same run. Prints one table.
//   npm run bench:background -- [--small 3000] [--large 200000]
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { connectBus } from '../../lib/bus/index.js';
import { connectDatabase, type Database } from '../../lib/mongo.js';
import { reviewTopics } from '../../lib/streams.js';
import { AnalysisRepository } from '../../subgraphs/analysis/src/repositories/analysis-repository.js';
import { AlertEventOutboxRepository } from '../../subgraphs/applications/src/repositories/alert-event-outbox-repository.js';
import { dueEntry, laneId, LANES_BACKFILL_MARKER } from '../../subgraphs/applications/src/models/webhook-due.js';
import { WebhookDeliveryRepository } from '../../subgraphs/applications/src/repositories/webhook-delivery-repository.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { idempotencyRecordId, keyHash } from '../../subgraphs/collection/src/models/idempotency-record.js';
import { idempotencyExpiryEntry } from '../../subgraphs/collection/src/models/idempotency-expiry.js';
import { benchInfra } from '../infra.js';
import { commandsBetween, commandCounts } from '../support/server-status.js';

const { values } = parseArgs({ options: { small: { type: 'string' }, large: { type: 'string' } } });
const sizes = [Number(values.small ?? 3_000), Number(values.large ?? 200_000)];
const log = pino({ level: 'silent' });
const infra = await benchInfra();

interface Row { path: string; size: number; ms: number; commands: Record<string, number> }
const rows: Row[] = [];

async function insertChunks<T extends object>(database: Database, name: string, n: number, make: (i: number) => T): Promise<void> {
  const collection = database.db.collection(name);
  for (let start = 0; start < n; start += 1_000) {
    await collection.insertMany(Array.from({ length: Math.min(1_000, n - start) }, (_, k) => make(start + k)) as never[], { ordered: false });
  }
}

/** Median wall time of `runs` calls, and the data commands of one call. */
async function measure(database: Database, path: string, size: number, run: () => Promise<unknown>, runs = 5): Promise<void> {
  await run();
  const times: number[] = [];
  let commands: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    const before = await commandCounts(database.client.db('admin'));
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
    commands = commandsBetween(before, await commandCounts(database.client.db('admin')));
  }
  rows.push({ path, size, ms: times.sort((a, b) => a - b)[Math.floor(runs / 2)]!, commands });
}

try {
  for (const size of sizes) {
    const tag = `bg${size}_${process.pid}`;
    const collectionDb = await connectDatabase(infra.mongoUri, `${tag}_collection`, { log });
    const analysisDb = await connectDatabase(infra.mongoUri, `${tag}_analysis`, { log });
    const applicationsDb = await connectDatabase(infra.mongoUri, `${tag}_applications`, { log });
    const topics = reviewTopics(tag.toLowerCase());
    const bus = await connectBus({ natsUrl: infra.natsUrl, name: tag, log, streams: [topics.stream] });
    const server = await createServer({ database: collectionDb, publisher: bus, topics, log, internalSecret: 'bench-internal-secret-0123456789' });
    const now = Date.now();
    // The store: `size` reviews and analyses; one keyed submitReviews call per 10 reviews within the
    // last day; a webhook backlog of one delivery per 10 reviews (a slow receiver); all settled.
    await insertChunks(collectionDb, 'reviews', size, (i) => ({ _id: `rev_${String(i).padStart(24, '0')}`, tenantId: 'tenant-a', productId: 'prd_1', rating: 4, text: `Review ${i}: the battery lasts a week.`, createdAt: new Date(now - i * 1000) }));
    const keyCreatedAt = (i: number) => new Date(now - (i % 1440) * 60_000);
    await insertChunks(collectionDb, 'idempotency_keys', size / 10, (i) => {
      const createdAt = keyCreatedAt(i);
      return { _id: idempotencyRecordId('tenant-a', `key-${i}`, 1), tenantId: 'tenant-a', keyHash: keyHash(`key-${i}`), generation: 1, payloadHash: 'x', state: 'DONE', result: '{}', createdAt, expiresAt: new Date(createdAt.getTime() + 86_400_000) };
    });
    // each record's entry on the expiry list, as a claim writes it (models/idempotency-expiry.ts)
    await insertChunks(collectionDb, 'idempotency_keys', size / 10, (i) => idempotencyExpiryEntry(idempotencyRecordId('tenant-a', `key-${i}`, 1), new Date(keyCreatedAt(i).getTime() + 86_400_000)));
    await insertChunks(analysisDb, 'analyses', size, (i) => ({ _id: `rev_${String(i).padStart(24, '0')}`, tenantId: 'tenant-a', productId: 'prd_1', productCategory: 'sport-watch', text: `Review ${i}`, locale: 'en', reviewCreatedAt: new Date(now), modelVersion: i % 100 === 0 ? 'old-model' : 'current-model', status: 'ANALYZED', revision: 1, detail: '{}' }));
    // the backlog waits for its retries, each entry with its place in the webhook's lane (models/webhook-due.ts)
    const retryAt = (i: number) => new Date(now + 3_600_000 + i);
    await insertChunks(applicationsDb, 'webhook_due', size / 10, (i) => dueEntry('tenant-a', 'wh_slow', `whd_${String(i).padStart(24, '0')}`, retryAt(i), new Date(now)));
    await insertChunks(applicationsDb, 'webhook_queue', size / 10, (i) => ({ _id: `whd_${String(i).padStart(24, '0')}`, tenantId: 'tenant-a', webhookId: 'wh_slow', attempts: 1, dueAt: retryAt(i), dueKey: dueEntry('tenant-a', 'wh_slow', `whd_${String(i).padStart(24, '0')}`, retryAt(i), new Date(now))._id }));
    await applicationsDb.db.collection('webhook_lanes').insertMany([{ _id: laneId('tenant-a', 'wh_slow'), tenantId: 'tenant-a', webhookId: 'wh_slow', active: true }, { _id: LANES_BACKFILL_MARKER, tenantId: '', webhookId: '', active: false }] as never[]);

    await measure(collectionDb, 'outbox sweeper tick (nothing pending)', size, () => sweepOutbox(server.services, { olderThanMs: 30_000 }));
    const deliveries = new WebhookDeliveryRepository(applicationsDb);
    await measure(applicationsDb, 'webhook queue poll (nothing due)', size, () => deliveries.due(new Date(), 64));
    const alertOutbox = new AlertEventOutboxRepository(applicationsDb);
    await alertOutbox.listStale(new Date(0), 1);
    await measure(applicationsDb, 'alert outbox sweep (nothing pending)', size, () => alertOutbox.listStale(new Date(now - 30_000), 500));
    const analyses = new AnalysisRepository(analysisDb);
    await measure(analysisDb, 're-analysis page (200 analyses)', size, () => analyses.pageOutdated('current-model', 'rev_' + String(Math.floor(size / 2)).padStart(24, '0'), 200), 3);

    await bus.close();
    for (const database of [collectionDb, analysisDb, applicationsDb]) {
      await database.db.dropDatabase();
      await database.close();
    }
  }
  const paths = [...new Set(rows.map((r) => r.path))];
  process.stdout.write(`\n| path | ${sizes.map((s) => `store of ${s.toLocaleString('en')}`).join(' | ')} | growth | commands per run |\n|---|${sizes.map(() => '---|').join('')}---|---|\n`);
  for (const path of paths) {
    const [a, b] = sizes.map((s) => rows.find((r) => r.path === path && r.size === s)!);
    process.stdout.write(`| ${path} | ${a!.ms.toFixed(1)} ms | ${b!.ms.toFixed(1)} ms | ${(b!.ms / a!.ms).toFixed(2)}× | ${Object.entries(b!.commands).map(([k, v]) => `${v} ${k}`).join(', ')} |\n`);
  }
} finally {
  await infra.close();
}
