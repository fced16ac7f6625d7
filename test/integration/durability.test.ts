// Fault tests of the embedded launcher (FerretDB + NATS), killed with SIGKILL while reviews come in.
// Every review answered accepted, or NOT_PUBLISHED ("stored, will be published"), must be in the
// database after a restart, its event on the stream exactly once, and analysed and counted once.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, parseEnvelope, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import { startEmbedded, type EmbeddedServers } from '../../lib/embedded.js';
import { connectDatabase, type Database } from '../../lib/mongo.js';
import { reviewTopics } from '../../lib/streams.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { createServer as createAnalysisServer } from '../../subgraphs/analysis/src/server.js';
import { startAnalysisConsumer } from '../../subgraphs/analysis/src/services/analysis-consumer.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { createServer as createApplicationsServer } from '../../subgraphs/applications/src/server.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { createServer as createCollectionServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { submitReviews } from '../../subgraphs/collection/src/services/review-intake.js';
import { eventually, silentLog, TEST_SECRET } from '../support/fixtures.js';

const ROUNDS = 5;
const WRITERS = 4;
const BATCH = 25;
const TENANT = 'tenant-durable';
const PRODUCT = 'prd_d00000000000000000000001';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

let dataDir: string;
let ports: { mongoPort: number; natsPort: number };
let launcher: EmbeddedServers;
const databases: Database[] = [];
const buses: Bus[] = [];
const consumers: RunningConsumer[] = [];
let bus: Bus;
let collection: Awaited<ReturnType<typeof createCollectionServer>>['services'];
const topics = reviewTopics('durable');

afterAll(async () => {
  for (const c of consumers) await c.stop().catch(() => undefined);
  for (const b of buses) await b.close().catch(() => undefined);
  for (const d of databases) await d.close().catch(() => undefined);
  await launcher?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function connect(owner: string): Promise<Database> {
  const database = await connectDatabase(launcher.mongoUri, `durable_${owner}`);
  databases.push(database);
  return database;
}

async function connectTheBus(name: string): Promise<Bus> {
  const connected = await connectBus({ natsUrl: launcher.natsUrl, name, log: silentLog, streams: [topics.stream], publishTimeoutMs: 2_000 });
  buses.push(connected);
  return connected;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reviewgraph-durability-'));
  ports = { mongoPort: await freePort(), natsPort: await freePort() };
  launcher = await startEmbedded({ dataDir, ...ports });
  bus = await connectTheBus('durability-collection');
  collection = (await createCollectionServer({ database: await connect('collection'), publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET })).services;
  await collection.products.collection.insertOne({ _id: PRODUCT, tenantId: TENANT, sku: 'DUR-1', name: 'Durable watch', brand: null, category: 'sport-watch', createdAt: new Date(), updatedAt: new Date() } as never);
}, 120_000);

/** Every message on a subject: event id → how many times it is on the stream. */
async function eventIdsOn(subject: string): Promise<Map<string, number>> {
  const jsm = await jetstreamManager(bus.connection);
  const expected = (await jsm.streams.info(topics.stream.name, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
  const counts = new Map<string, number>();
  if (expected === 0) return counts;
  const reader = await jetstream(bus.connection).consumers.get(topics.stream.name, { filter_subjects: [subject] });
  let seen = 0;
  while (seen < expected) {
    const batch = await reader.fetch({ max_messages: Math.min(expected - seen, 1_000), expires: 2_000 });
    for await (const m of batch) {
      seen++;
      const parsed = parseEnvelope(m.data);
      if (!parsed.ok) throw new Error(parsed.reason);
      counts.set(parsed.event.id, (counts.get(parsed.event.id) ?? 0) + 1);
    }
  }
  await reader.delete().catch(() => undefined);
  return counts;
}

describe('kill -9 of the launcher during intake', () => {
  it(`loses no acknowledged review, publishes each stored one once, and counts each once, over ${ROUNDS} rounds`, async () => {
    const promised = new Map<string, 'accepted' | 'stored'>();
    let sequence = 0;
    const tally: string[] = [];
    let stored = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      let stop = false;
      let failedCalls = 0;
      const writers = Array.from({ length: WRITERS }, async () => {
        while (!stop) {
          const inputs = Array.from({ length: BATCH }, () => {
            const n = sequence++;
            return { productId: PRODUCT, rating: (n % 5) + 1, text: `Review ${n}: the battery lasts ${n % 9} days and the strap is comfortable.`, source: 'partner:durable', externalId: `D-${n}` };
          });
          try {
            const result = await submitReviews(collection, TENANT, inputs);
            for (const a of result.accepted) promised.set(a.id, 'accepted');
            for (const r of result.rejected) {
              expect(r.code).toBe('NOT_PUBLISHED');
              promised.set(/review (rev_[0-9a-f]{24})/.exec(r.message)![1]!, 'stored');
            }
          } catch {
            failedCalls++; // the caller is told the call failed: nothing was promised
          }
        }
      });
      await new Promise((r) => setTimeout(r, 700 + 300 * Math.random()));
      process.kill(launcher.pid!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      launcher = await startEmbedded({ dataDir, ...ports });
      stop = true;
      await Promise.all(writers);

      // Everything promised is stored...
      const ids = [...promised.keys()];
      const found = await eventually(() => collection.reviews.findByIds(TENANT, ids), 30_000, 'the database back');
      const missing = ids.filter((id) => !found.has(id));
      // ...and, once the sweeper ran, every stored review is on the stream exactly once, and nothing else.
      const { events, total } = await eventually(async () => {
        await sweepOutbox(collection, { olderThanMs: 0 });
        const [counts, all] = await Promise.all([eventIdsOn(topics.submitted), collection.reviews.collection.countDocuments({ tenantId: TENANT })]);
        return counts.size >= all && ids.every((id) => counts.has(`review.submitted:${id}`)) ? { events: counts, total: all } : undefined;
      }, 60_000, 'every promised review published');
      const repeated = [...events].filter(([, n]) => n !== 1).map(([id]) => id);
      const eventReviews = [...events.keys()].map((id) => id.replace('review.submitted:', ''));
      const behind = await collection.reviews.findByIds(TENANT, eventReviews);
      const notPublished = [...promised.values()].filter((v) => v === 'stored').length;
      tally.push(`round ${round}: promised ${ids.length} (NOT_PUBLISHED ${notPublished}), failed calls ${failedCalls}, stored ${total}, missing ${missing.length}, events ${events.size} (repeated ${repeated.length})`);
      expect(missing, `round ${round}: promised reviews missing after the restart`).toEqual([]);
      expect(repeated, `round ${round}: events on the stream more than once`).toEqual([]);
      expect(events.size, `round ${round}: one event per stored review`).toBe(total);
      expect(eventReviews.filter((id) => !behind.has(id)), `round ${round}: events of reviews never stored`).toEqual([]);
      stored = total;
    }
    process.stdout.write(`${tally.join('\n')}\n`);

    // Analysed and counted once: the analysis worker and the insights consumer, started on the
    // stream those kills left, store one analysis per stored review and count each review once.
    const analysisDb = await connect('analysis');
    const applicationsDb = await connect('applications');
    const consumerBus = await connectTheBus('durability-consumers');
    const analyzer = await createAnalyzer();
    const analysis = await createAnalysisServer({ database: analysisDb, analyzer, log: silentLog, internalSecret: TEST_SECRET });
    const applications = await createApplicationsServer({ database: applicationsDb, log: silentLog, internalSecret: TEST_SECRET });
    consumers.push(
      await startAnalysisConsumer(consumerBus, { analyses: analysis.services.analyses, mentions: analysis.services.mentions, taxonomies: analysis.services.taxonomies, analyzer, publisher: consumerBus, topics, log: silentLog }, { batchSize: 64, maxDeliver: 5 }),
      await startInsightsConsumer(consumerBus, { insights: applications.insights, topics, log: silentLog }, { maxDeliver: 5 }),
    );
    const read = async () => {
      const doc = await applications.insights.collection.findOne({ _id: insightsId(TENANT, PRODUCT) });
      return { reviewCount: doc?.reviewCount, analyzedCount: doc?.analyzedCount, analyses: await analysisDb.db.collection('analyses').countDocuments({ tenantId: TENANT }) };
    };
    const want = { reviewCount: stored, analyzedCount: stored, analyses: stored };
    const counted = await eventually(async () => {
      const now = await read();
      return JSON.stringify(now) === JSON.stringify(want) ? now : undefined;
    }, 90_000, `every one of ${stored} reviews analysed and counted`).catch(read);
    expect(counted).toEqual(want);
    expect(await consumerBus.deadLetters(topics.stream.name)).toEqual([]);
  }, 240_000);
});

describe('kill -9 while FerretDB creates a database', () => {
  it('starts again, keeping every other database, and sets the unfinished file aside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reviewgraph-unfinished-'));
    try {
      let servers = await startEmbedded({ dataDir: dir });
      const kept = await connectDatabase(servers.mongoUri, 'kept');
      await kept.db.collection('x').insertOne({ _id: 'still-here' } as never);
      await kept.close();
      process.kill(servers.pid!, 'SIGKILL');
      // What a kill between FerretDB's two steps leaves: the database file, without its metadata table.
      await writeFile(join(dir, 'ferretdb', 'half_created.sqlite'), '');
      servers = await startEmbedded({ dataDir: dir });
      try {
        const again = await connectDatabase(servers.mongoUri, 'kept');
        expect(await again.db.collection('x').findOne({ _id: 'still-here' } as never)).toEqual({ _id: 'still-here' });
        await again.close();
        expect((await readdir(join(dir, 'ferretdb'))).filter((f) => f.startsWith('half_created'))).toEqual([expect.stringMatching(/^half_created\.sqlite\.unfinished-\d+$/)]);
      } finally {
        await servers.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
