import { beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/applications/src/server.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

let server: Awaited<ReturnType<typeof createServer>>;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;
const PRODUCT = 'prd_500000000000000000000005';

const BY_SOURCE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { reviewCount bySource { source reviewCount averageRating sentimentBreakdown { positive neutral negative } } } } } }`;
async function insights() {
  const response = await server.apollo.executeOperation({ query: BY_SOURCE, variables: { r: [{ __typename: 'Product', id: PRODUCT }] } }, { contextValue: server.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const result = response.body.singleResult as { data?: Record<string, any>; errors?: unknown[] };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!._entities[0].insights as { reviewCount: number; bySource: Array<{ source: string | null; reviewCount: number; averageRating: number | null; sentimentBreakdown: Record<string, number> }> };
}

const submitted = (reviewId: string, rating: number, source?: string) => ({
  subject: topics.submitted,
  event: newEvent('review.submitted', 'tenant-a', { reviewId, productId: PRODUCT, rating, text: 't', productCategory: null, title: null, locale: 'en', createdAt: '2026-03-01T10:00:00.000Z', ...(source ? { source } : {}) }, { id: `review.submitted:${reviewId}` }),
});

beforeAll(async () => {
  const database = await freshDatabase('by_source');
  ({ bus, topics } = await freshBus('by_source'));
  server = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startInsightsConsumer(bus, { insights: server.insights, states: server.states, topics, log: silentLog }, { backoffMs: [100], maxDeliver: 2 });
  return () => consumer.stop();
});

describe('insights by source', () => {
  it('splits a product\'s reviews by the source their review.submitted names, follows deletions, and keeps events without a source apart', async () => {
    await bus.publishMany([
      submitted('rev_s1', 5, 'retailer:northmart'),
      submitted('rev_s2', 4, 'retailer:northmart'),
      submitted('rev_s3', 1, 'app:ios'),
      submitted('rev_s4', 3),
      { subject: topics.analyzed, event: newEvent('review.analyzed', 'tenant-a', { reviewId: 'rev_s3', productId: PRODUCT, status: 'DONE', label: 'NEGATIVE', previousLabel: null, revision: 1, modelVersion: 'm1', aspects: [] }) },
      // A redelivered submission counts once.
      submitted('rev_s1', 5, 'retailer:northmart'),
    ]);
    const first = await eventually(async () => {
      const now = await insights();
      return now.reviewCount === 4 && now.bySource.find((s) => s.source === 'app:ios')?.sentimentBreakdown.negative === 1 ? now : undefined;
    }, 30_000, 'four reviews counted by source');
    expect(first.bySource).toEqual([
      { source: 'retailer:northmart', reviewCount: 2, averageRating: 4.5, sentimentBreakdown: { positive: 0, neutral: 0, negative: 0 } },
      { source: null, reviewCount: 1, averageRating: 3, sentimentBreakdown: { positive: 0, neutral: 0, negative: 0 } },
      { source: 'app:ios', reviewCount: 1, averageRating: 1, sentimentBreakdown: { positive: 0, neutral: 0, negative: 1 } },
    ]);
    await bus.publishMany([{ subject: topics.deleted, event: newEvent('review.deleted', 'tenant-a', { reviewId: 'rev_s3', productId: PRODUCT, rating: 1 }) }]);
    const after = await eventually(async () => {
      const now = await insights();
      return now.reviewCount === 3 ? now : undefined;
    }, 30_000, 'the deletion counted');
    expect(after.bySource.map((s) => [s.source, s.reviewCount])).toEqual([['retailer:northmart', 2], [null, 1]]);
  });
});
