// Fault test: kill -9 of the embedded launcher (FerretDB + NATS) while reviews come in. Every review
// answered accepted, or NOT_PUBLISHED ("stored, will be published"), must be in the database after a
// restart, its event on the stream exactly once, and analysed and counted once.
import { mkdtemp, rm } from 'node:fs/promises';
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
let bus: Bus;
let consumers: RunningConsumer[] = [];

afterAll(async () => {
  for (const c of consumers) await c.stop().catch(() => undefined);
  await bus?.close().catch(() => undefined);
  for (const d of databases) await d.close().catch(() => undefined);
  await launcher?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Services = Awaited<ReturnType<typeof createCollectionServer>>['services'];
let collection: Services;
let insightsRead: (productId: string) => Promise<{ reviewCount: number; analyzedCount: number } | null>;
const topics = reviewTopics('durable');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reviewgraph-durability-'));
  ports = { mongoPort: await freePort(), natsPort: await freePort() };
  launcher = await startEmbedded({ dataDir, ...ports });
  const [collectionDb, analysisDb, applicationsDb] = await Promise.all(['collection', 'analysis', 'applications'].map((o) => connectDatabase(launcher.mongoUri, `durable_${o}`)));
  databases.push(collectionDb!, analysisDb!, applicationsDb!);
  bus = await connectBus({ natsUrl: launcher.natsUrl, name: 'durability', log: silentLog, streams: [topics.stream], publishTimeoutMs: 2_000 });
  collection = (await createCollectionServer({ database: collectionDb!, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET })).services;
  await collection.products.collection.insertOne({ _id: PRODUCT, tenantId: TENANT, sku: 'DUR-1', name: 'Durable watch', brand: null, category: 'sport-watch', createdAt: new Date(), updatedAt: new Date() } as never);
  const analyzer = await createAnalyzer();
  const analysis = await createAnalysisServer({ database: analysisDb!, analyzer, log: silentLog, internalSecret: TEST_SECRET });
  const applications = await createApplicationsServer({ database: applicationsDb!, log: silentLog, internalSecret: TEST_SECRET });
  consumers = await Promise.all([
    startAnalysisConsumer(bus, { analyses: analysis.services.analyses, mentions: analysis.services.mentions, taxonomies: analysis.services.taxonomies, analyzer, publisher: bus, topics, log: silentLog }, { batchSize: 64, maxDeliver: 50, ackWaitMs: 5_000, backoffMs: [200, 500, 1_000] }),
    startInsightsConsumer(bus, { insights: applications.insights, topics, log: silentLog }, { maxDeliver: 50, ackWaitMs: 5_000, backoffMs: [200, 500, 1_000] }),
  ]);
  insightsRead = async (productId) => {
    const doc = await applications.insights.collection.findOne({ _id: insightsId(TENANT, productId) });
    return doc ? { reviewCount: doc.reviewCount, analyzedCount: doc.analyzedCount } : null;
  };
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
  it(`loses no acknowledged review and counts none twice, over ${ROUNDS} rounds`, async () => {
    const promised = new Map<string, 'accepted' | 'stored'>();
    let sequence = 0;
    const tally: string[] = [];
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
            failedCalls++; // the caller is told: nothing was promised
          }
        }
      });
      await new Promise((r) => setTimeout(r, 700 + 300 * Math.random()));
      process.kill(launcher.pid!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      launcher = await startEmbedded({ dataDir, ...ports });
      stop = true;
      await Promise.all(writers);

      const ids = [...promised.keys()];
      // Everything promised is stored...
      const stored = await eventually(async () => {
        const found = await collection.reviews.findByIds(TENANT, ids);
        return found;
      }, 30_000, 'the database back');
      const missing = ids.filter((id) => !stored.has(id));
      // ...and, once the sweeper ran, on the stream exactly once.
      const events = await eventually(async () => {
        await sweepOutbox(collection, { olderThanMs: 0 });
        const counts = await eventIdsOn(topics.submitted);
        const total = await collection.reviews.collection.countDocuments({ tenantId: TENANT });
        return counts.size >= total && ids.every((id) => counts.has(`review.submitted:${id}`)) ? counts : undefined;
      }, 60_000, 'every promised review published');
      const twice = [...events].filter(([, n]) => n !== 1);
      const total = await collection.reviews.collection.countDocuments({ tenantId: TENANT });
      // Analysed and counted once: the insights of the product count every stored review, no more.
      const counted = await eventually(async () => {
        const insights = await insightsRead(PRODUCT);
        return insights && insights.reviewCount === total && insights.analyzedCount === total ? insights : undefined;
      }, 90_000, `insights to count ${total} reviews`).catch(async () => insightsRead(PRODUCT));
      const notPublished = [...promised.values()].filter((v) => v === 'stored').length;
      tally.push(`round ${round}: promised ${ids.length} (NOT_PUBLISHED ${notPublished}), failed calls ${failedCalls}, stored ${total}, missing ${missing.length}, events ${events.size} (repeated ${twice.length}), insights ${JSON.stringify(counted)}`);
      expect(missing, `round ${round}: promised reviews missing after the restart`).toEqual([]);
      expect(twice, `round ${round}: events on the stream more than once`).toEqual([]);
      expect(events.size, `round ${round}: one event per stored review`).toBe(total);
      expect(counted, `round ${round}: insights`).toEqual({ reviewCount: total, analyzedCount: total });
    }
    process.stdout.write(`${tally.join('\n')}\n`);
  }, 240_000);
});
