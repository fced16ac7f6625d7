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
const PRODUCT = 'prd_600000000000000000000006';

async function counts(): Promise<{ reviewCount: number; averageRating: number | null }> {
  const response = await server.apollo.executeOperation({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { reviewCount averageRating } } } }`, variables: { r: [{ __typename: 'Product', id: PRODUCT }] } }, { contextValue: server.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const result = response.body.singleResult as { data?: Record<string, any>; errors?: unknown[] };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!._entities[0].insights;
}
const settled = (reviewCount: number, what: string) => eventually(async () => {
  const now = await counts();
  return now.reviewCount === reviewCount ? now : undefined;
}, 30_000, what);

const submitted = (reviewId: string, rating: number, status?: string) => ({
  subject: topics.submitted,
  event: newEvent('review.submitted', 'tenant-a', { reviewId, productId: PRODUCT, rating, text: 't', productCategory: null, title: null, locale: 'en', createdAt: '2026-03-01T10:00:00.000Z', source: 'api', ...(status ? { status } : {}) }, { id: `review.submitted:${reviewId}` }),
});
const moderated = (reviewId: string, status: string, moderation: number, rating: number) => ({
  subject: topics.moderated,
  event: newEvent('review.moderated', 'tenant-a', { reviewId, productId: PRODUCT, status, previousStatus: 'PENDING', reason: null, moderation, rating, createdAt: '2026-03-01T10:00:00.000Z', locale: 'en', source: 'api', revision: 1 }, { id: `review.moderated:${reviewId}:${moderation}` }),
});

beforeAll(async () => {
  const database = await freshDatabase('ins_moderation');
  ({ bus, topics } = await freshBus('ins_moderation'));
  server = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startInsightsConsumer(bus, { insights: server.insights, states: server.states, topics, log: silentLog }, { backoffMs: [100], maxDeliver: 2 });
  return () => consumer.stop();
});

describe('insights follow moderation', () => {
  it('counts only published reviews: a held one once it is published, out again when rejected, whatever order the status changes arrive in', async () => {
    await bus.publishMany([submitted('rev_m1', 5), submitted('rev_m2', 1, 'PENDING'), submitted('rev_m3', 3, 'PUBLISHED')]);
    expect(await settled(2, 'the two published reviews')).toEqual({ reviewCount: 2, averageRating: 4 });

    await bus.publishMany([moderated('rev_m2', 'PUBLISHED', 1, 1)]);
    expect(await settled(3, 'the held review once published')).toEqual({ reviewCount: 3, averageRating: 3 });

    // The rejection (second change) arrives, then a late copy of the first: the rejection holds.
    await bus.publishMany([moderated('rev_m1', 'REJECTED', 2, 5), moderated('rev_m1', 'PUBLISHED', 1, 5)]);
    expect(await settled(2, 'the rejected review out')).toEqual({ reviewCount: 2, averageRating: 2 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await counts()).toEqual({ reviewCount: 2, averageRating: 2 });

    // A moderation seen before its submission counts once the submission arrives.
    await bus.publishMany([moderated('rev_m4', 'PUBLISHED', 1, 4)]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await counts()).reviewCount).toBe(2);
    await bus.publishMany([submitted('rev_m4', 4, 'PENDING')]);
    expect(await settled(3, 'the review published before its submission was seen')).toEqual({ reviewCount: 3, averageRating: 2.67 });
  });
});
