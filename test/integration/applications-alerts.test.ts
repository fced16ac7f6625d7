import { beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/applications/src/server.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;

const A = 'prd_a00000000000000000000001';
const SMALL = 'prd_a00000000000000000000002';
const DAY = 86_400_000;

async function run(query: string, variables: Record<string, unknown> = {}, who = caller()) {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(who) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

const ALERTS = `query($status: AlertStatus, $productId: ID, $first: Int, $after: String) { alerts(status: $status, productId: $productId, first: $first, after: $after) {
  edges { cursor node { id kind aspect status severity product { id } raisedAt resolvedAt evidence { test recentCount recentTotal baselineCount baselineTotal recentShare baselineShare z exampleReviews { id } } } }
  pageInfo { hasNextPage endCursor } } }`;
const alerts = async (vars: Record<string, unknown> = {}, who = caller()) => {
  const result = await run(ALERTS, vars, who);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.alerts as { edges: Array<{ cursor: string; node: any }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};
const analysed = async (productId: string) => (await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { analyzedCount } } } }`, { r: [{ __typename: 'Product', id: productId }] })).data!._entities[0].insights?.analyzedCount ?? 0;

let serial = 0;
/** One review `daysAgo` days old: negative (1 star, battery negative) or positive (5 stars, battery positive). */
function review(productId: string, daysAgo: number, negative: boolean) {
  const reviewId = `rev_al_${serial++}`;
  const createdAt = new Date(Date.now() - daysAgo * DAY).toISOString();
  const polarity = negative ? 'NEGATIVE' : 'POSITIVE';
  return [
    { subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { reviewId, productId, rating: negative ? 1 : 5, text: 't', productCategory: null, title: null, locale: 'en', createdAt }) },
    { subject: topics.analyzed, event: newEvent('review.analyzed', 'tenant-a', { reviewId, productId, status: 'DONE', label: polarity, previousLabel: null, revision: 1, modelVersion: 'm', aspects: [{ aspect: 'battery', polarity, score: 0.5 + (serial % 40) / 100, snippet: `battery ${reviewId}`, start: 0, end: 7 }] }) },
  ];
}

beforeAll(async () => {
  const database = await freshDatabase('app_alerts');
  ({ bus, topics } = await freshBus('app_alerts'));
  server = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startInsightsConsumer(bus, { insights: server.insights, states: server.states, alerts: server.alerts, topics, log: silentLog }, { backoffMs: [100], maxDeliver: 3 });
  return () => consumer.stop();
});

describe('alerts', () => {
  it('raises one alert per signal when the last 7 days turn negative against the 28 before, with its evidence', async () => {
    // Baseline: 30 reviews 8-30 days old, 3 negative (10%).
    await bus.publishMany(Array.from({ length: 30 }, (_, i) => review(A, 8 + (i % 22), i < 3)).flat());
    // Too few reviews: 6 negative recent ones, no baseline: no alert.
    await bus.publishMany(Array.from({ length: 6 }, () => review(SMALL, 1, true)).flat());
    await eventually(async () => ((await analysed(A)) === 30 && (await analysed(SMALL)) === 6 ? true : undefined), 30_000, 'the baseline');
    expect((await alerts()).edges).toEqual([]);

    // Recent: 15 reviews 0-6 days old, 9 negative (60%).
    await bus.publishMany(Array.from({ length: 15 }, (_, i) => review(A, i % 7, i < 9)).flat());
    const raised = await eventually(async () => {
      const page = await alerts({ status: 'ACTIVE' });
      return page.edges.length === 3 && page.edges.every((e) => e.node.severity === 'HIGH' && e.node.evidence.recentTotal === 15) ? page : undefined;
    }, 30_000, 'three active alerts');
    const byKind = new Map(raised.edges.map((e) => [`${e.node.kind}:${e.node.aspect ?? ''}`, e.node]));
    expect([...byKind.keys()].sort()).toEqual(['ASPECT_NEGATIVE:battery', 'LOW_RATING:', 'NEGATIVE_SENTIMENT:']);
    const sentiment = byKind.get('NEGATIVE_SENTIMENT:');
    expect(sentiment).toMatchObject({ status: 'ACTIVE', product: { id: A }, resolvedAt: null, evidence: { recentCount: 9, recentTotal: 15, baselineCount: 3, baselineTotal: 30, recentShare: 0.6, baselineShare: 0.1, z: 3.5755 } });
    expect(sentiment.evidence.test).toMatch(/two-proportion z-test/);
    expect(sentiment.evidence.exampleReviews.length).toBeGreaterThan(0);
    expect((await alerts({ productId: SMALL })).edges).toEqual([]);
  });

  it('keeps one alert while the signal stays, and resolves it when the signal goes away', async () => {
    const before = (await alerts({ status: 'ACTIVE' })).edges.map((e) => e.node.id).sort();
    await bus.publishMany(review(A, 0, true));
    await eventually(async () => ((await alerts({ status: 'ACTIVE' })).edges.every((e) => e.node.evidence.recentTotal === 16) ? true : undefined), 30_000, 'refreshed evidence');
    expect((await alerts()).edges.map((e) => e.node.id).sort()).toEqual(before);

    await bus.publishMany(Array.from({ length: 40 }, (_, i) => review(A, i % 7, false)).flat());
    const resolved = await eventually(async () => {
      const page = await alerts({ status: 'RESOLVED' });
      return page.edges.length === 3 ? page : undefined;
    }, 30_000, 'three resolved alerts');
    expect(resolved.edges.map((e) => e.node.id).sort()).toEqual(before);
    expect(resolved.edges.every((e) => e.node.resolvedAt !== null)).toBe(true);
    expect((await alerts({ status: 'ACTIVE' })).edges).toEqual([]);
    expect((await alerts()).edges).toHaveLength(3);
  });

  it('pages with cursors bound to the list, and refuses bad arguments, foreign tenants and missing scopes', async () => {
    const first = await alerts({ first: 2 });
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await alerts({ first: 2, after: first.pageInfo.endCursor });
    expect(rest.edges).toHaveLength(1);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...first.edges, ...rest.edges].map((e) => e.node.id)).size).toBe(3);

    for (const [vars, message] of [
      [{ first: 0 }, /first must be between 1 and 100/], [{ first: 101 }, /first must be between 1 and 100/],
      [{ after: 'not-a-cursor' }, /not a cursor/], [{ status: 'ACTIVE', after: first.pageInfo.endCursor }, /another list/],
      [{ productId: '' }, /productId must be 1 to 200/],
    ] as const) {
      const result = await run(ALERTS, vars);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    expect((await alerts({}, caller('tenant-b'))).edges).toEqual([]);
    const id = first.edges[0]!.node.id;
    const entity = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id kind status } } }`;
    expect((await run(entity, { r: [{ __typename: 'Alert', id }] })).data!._entities[0]).toMatchObject({ id, status: 'RESOLVED' });
    expect((await run(entity, { r: [{ __typename: 'Alert', id }] }, caller('tenant-b'))).data!._entities[0]).toBeNull();
    const refused = await run(ALERTS, {}, { ...caller(), scopes: [] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
