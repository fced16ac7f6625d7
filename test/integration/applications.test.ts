import { beforeAll, describe, expect, it, vi } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { createServer } from '../../subgraphs/applications/src/server.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;

async function run(query: string, variables: Record<string, unknown> = {}) {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any>; errors?: unknown[] };
}

const insightsOf = async (productId: string) =>
  (await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { reviewCount averageRating ratingHistogram { rating count } sentimentBreakdown { positive neutral negative } analyzedCount } } } }`,
    { r: [{ __typename: 'Product', id: productId }] })).data!._entities[0].insights;

const submitted = (reviewId: string, productId: string, rating: number, id?: string) =>
  ({ subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { reviewId, productId, rating, text: 't', productCategory: null, title: null, locale: null, createdAt: '2026-03-01T10:00:00.000Z' }, { id }) });
const analyzed = (reviewId: string, productId: string, label: string, previousLabel: string | null, revision: number, id?: string) =>
  ({ subject: topics.analyzed, event: newEvent('review.analyzed', 'tenant-a', { reviewId, productId, status: 'DONE', label, previousLabel, revision, modelVersion: 'm1', aspects: [] }, { id }) });

beforeAll(async () => {
  const database = await freshDatabase('applications');
  ({ bus, topics } = await freshBus('applications'));
  server = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startInsightsConsumer(bus, { insights: server.insights, topics, log: silentLog }, { backoffMs: [100], maxDeliver: 3 });
  return () => consumer.stop();
});

describe('product insights', () => {
  it('counts each review once, even when an event is delivered again under a new message id', async () => {
    const product = 'prd_aaaaaaaaaaaaaaaaaaaaaaaa';
    const first = submitted('rev_1', product, 5);
    await bus.publishMany([first, submitted('rev_2', product, 3), analyzed('rev_1', product, 'POSITIVE', null, 1)]);
    // The same effects again, as a redelivery after the dedupe window would bring them.
    await bus.publishMany([submitted('rev_1', product, 5, 'again-1'), analyzed('rev_1', product, 'POSITIVE', null, 1, 'again-2')]);
    await eventually(async () => (consumer.processed >= 5 ? true : undefined), 20_000, 'five events processed');
    expect(await insightsOf(product)).toEqual({
      reviewCount: 2,
      averageRating: 4,
      ratingHistogram: [{ rating: 1, count: 0 }, { rating: 2, count: 0 }, { rating: 3, count: 1 }, { rating: 4, count: 0 }, { rating: 5, count: 1 }],
      sentimentBreakdown: { positive: 1, neutral: 0, negative: 0 },
      analyzedCount: 1,
    });
  });

  it('moves a review between sentiment buckets when a new analysis revision replaces the old one', async () => {
    const product = 'prd_bbbbbbbbbbbbbbbbbbbbbbbb';
    await bus.publishMany([submitted('rev_9', product, 2), analyzed('rev_9', product, 'POSITIVE', null, 1)]);
    await eventually(async () => ((await insightsOf(product))?.analyzedCount === 1 ? true : undefined));
    await bus.publishMany([analyzed('rev_9', product, 'NEGATIVE', 'POSITIVE', 2)]);
    const after = await eventually(async () => {
      const insights = await insightsOf(product);
      return insights.sentimentBreakdown.negative === 1 ? insights : undefined;
    });
    expect(after.sentimentBreakdown).toEqual({ positive: 0, neutral: 0, negative: 1 });
    expect(after.analyzedCount).toBe(1);
  });

  it('answers null insights for a product without events, and batches many products into one load', async () => {
    const load = vi.spyOn(server.insights, 'findByProductIds');
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id insights { reviewCount } } } }`, {
      r: ['prd_aaaaaaaaaaaaaaaaaaaaaaaa', 'prd_bbbbbbbbbbbbbbbbbbbbbbbb', 'prd_cccccccccccccccccccccccc'].map((id) => ({ __typename: 'Product', id })),
    });
    expect(result.data!._entities.map((e: { insights: unknown }) => e.insights)).toEqual([{ reviewCount: 2 }, { reviewCount: 1 }, null]);
    expect(load).toHaveBeenCalledTimes(1);
    load.mockRestore();
  });

  it('dead-letters a malformed event after its retries and keeps counting the others', async () => {
    const product = 'prd_dddddddddddddddddddddddd';
    await bus.publishMany([submitted('rev_bad', product, 9), submitted('rev_ok', product, 4)]);
    await eventually(async () => ((await insightsOf(product))?.reviewCount === 1 ? true : undefined));
    const dead = await eventually(async () => {
      const letters = await bus.deadLetters(topics.stream.name);
      return letters.find((d) => d.reason.includes('rating 9')) ?? undefined;
    });
    expect(dead.event?.data).toMatchObject({ reviewId: 'rev_bad' });
    expect(insightsId('tenant-a', product)).toMatch(/^ins_/);
  });
});

describe('federation', () => {
  it('serves its SDL with the Product entity', async () => {
    const result = await run('{ _service { sdl } }');
    expect(result.data!._service.sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
  });
});
