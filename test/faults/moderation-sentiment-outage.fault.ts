// The collection's review.analyzed consumer while its database is unreachable: maxDeliver 1, so a
// failure counted against the message would dead-letter it at once. Not reaching the database says
// nothing about the message: it is kept and tried again, and applied once the database is back.
// Run on demand (`npm run test:faults`): alone, and beside CPU hogs or other fault tests, the hold
// follows the database's return within a second, but inside the whole `npm test` run it did not come
// within 130 s in 3 of 6 runs on the 2-core machine, for a reason not found yet (the test is silent;
// run it with a logger to see the consumer and the driver). The consumer's outage handling itself is
// covered in `npm test` by test/integration/database-outage.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { InternalContext } from '../../lib/internal-context.js';
import { connectDatabase, type Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { COLLECTION_CONSUMER, startRatingSentimentConsumer } from '../../subgraphs/collection/src/services/rating-sentiment-consumer.js';
import { caller, eventually, freshBus, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** Longer than the driver's 10 s server selection, so the handler's reads fail with the database unreachable. */
const OUTAGE_MS = 13_000;
const TENANT = 'tenant-sentiment-outage';
let proxy: TcpProxy;
let database: Database;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;
let server: Awaited<ReturnType<typeof createServer>>;
const who = (scopes: string[]): InternalContext => ({ ...caller(TENANT), scopes });

async function run(query: string, variables: Record<string, unknown> = {}, as = who(['read', 'write'])) {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(as) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any>; errors?: unknown[] };
}

beforeAll(async () => {
  proxy = await startTcpProxy(Number(new URL(testInfra().mongoUri).port));
  database = await connectDatabase(`mongodb://127.0.0.1:${proxy.port}/`, uniqueName('sentiment_outage'), { log: silentLog });
  ({ bus, topics } = await freshBus('sentiment_outage'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startRatingSentimentConsumer(bus, server.services, { maxDeliver: 1 });
});

afterAll(async () => {
  await consumer?.stop();
  await proxy?.restore().catch(() => undefined);
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
  await proxy?.close();
});

describe('the review.analyzed consumer of collection while its database is unreachable', () => {
  it('dead-letters nothing and holds the review once the database is back', async () => {
    await run(`mutation { setModerationPolicy(hold: [RATING_CONTRADICTS_SENTIMENT]) { hold } }`, {}, who(['read', 'moderate']));
    const product = (await run(`mutation { upsertProducts(input: { products: [{ sku: "OUT-1", name: "Watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const id = (await run(`mutation($p: ID!) { submitReviews(input: { reviews: [{ productId: $p, rating: 5, text: "Terrible, it broke." }] }) { accepted { id } } }`, { p: product })).data!.submitReviews.accepted[0].id as string;
    await proxy.cut();
    await bus.publish(topics.analyzed, newEvent('review.analyzed', TENANT, { reviewId: id, productId: product, status: 'DONE', label: 'NEGATIVE', score: -0.99, previousLabel: null, revision: 1, reviewRevision: 1, modelVersion: 'm', aspects: [] }, { id: 'outage-analyzed-1' }));
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(await bus.deadLetters(topics.stream.name, { durable: COLLECTION_CONSUMER })).toEqual([]);
    await proxy.restore();
    const held = await eventually(async () => {
      const review = (await run(`query($id: ID!) { review(id: $id) { status signals } }`, { id })).data?.review;
      return review?.status === 'PENDING' ? review : undefined;
    }, 130_000, 'the review held after the outage');
    expect(held).toEqual({ status: 'PENDING', signals: ['RATING_CONTRADICTS_SENTIMENT'] });
    expect(await bus.deadLetters(topics.stream.name, { durable: COLLECTION_CONSUMER })).toEqual([]);
  }, 170_000);
});
