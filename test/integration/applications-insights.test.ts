import { beforeAll, describe, expect, it, vi } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { ReviewStateRepository } from '../../subgraphs/applications/src/repositories/review-state-repository.js';
import { createServer } from '../../subgraphs/applications/src/server.js';
import { applyReviewEvents, startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { rebuildInsights } from '../../subgraphs/applications/src/services/insights-rebuild.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;
let database: Database;

const P1 = 'prd_100000000000000000000001';
const P2 = 'prd_200000000000000000000002';

async function run(query: string, variables: Record<string, unknown> = {}, who = caller()) {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(who) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

const INSIGHTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights {
  reviewCount analyzedCount
  aspects { aspect mentions positive neutral negative positiveShare negativeShare proScore conScore
    positiveQuotes { review { id } snippet span { start end } confidence reviewCreatedAt }
    negativeQuotes { review { id } snippet span { start end } confidence } }
  topPros { aspect proScore } topCons { aspect conScore }
  byLocale { locale reviewCount averageRating sentimentBreakdown { positive neutral negative } } } } } }`;
const insightsOf = async (productId: string, who = caller()) => {
  const result = await run(INSIGHTS, { r: [{ __typename: 'Product', id: productId }] }, who);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!._entities[0].insights;
};
const trendOf = (productId: string, from: string, to: string, granularity: string) =>
  run(`query($r: [_Any!]!, $from: String!, $to: String!, $g: TrendGranularity!) { _entities(representations: $r) { ... on Product { insights { trend(from: $from, to: $to, granularity: $g) {
    from to granularity buckets { start end reviewCount averageRating positiveShare neutralShare negativeShare }
    movers { aspect firstMentions lastMentions firstNetSentiment lastNetSentiment change } } } } } }`,
  { r: [{ __typename: 'Product', id: productId }], from, to, g: granularity });

interface Mention { aspect: string; polarity: string; score: number; snippet: string; start: number; end: number }
const submitted = (reviewId: string, productId: string, rating: number, createdAt: string, locale: string | null, id?: string) =>
  ({ subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { reviewId, productId, rating, text: 't', productCategory: 'sport-watch', title: null, locale, createdAt }, { id }) });
const analyzed = (reviewId: string, productId: string, label: string, revision: number, aspects: Mention[], id?: string) =>
  ({ subject: topics.analyzed, event: newEvent('review.analyzed', 'tenant-a', { reviewId, productId, status: 'DONE', label, previousLabel: null, revision, modelVersion: 'm1', aspects }, { id }) });
const deleted = (reviewId: string, productId: string, rating: number) =>
  ({ subject: topics.deleted, event: newEvent('review.deleted', 'tenant-a', { reviewId, productId, rating }) });
const m = (aspect: string, polarity: string, score: number, snippet = `${aspect} ${polarity.toLowerCase()}`): Mention => ({ aspect, polarity, score, snippet, start: 0, end: aspect.length });

beforeAll(async () => {
  database = await freshDatabase('app_insights');
  ({ bus, topics } = await freshBus('app_insights'));
  server = await createServer({ database, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startInsightsConsumer(bus, { insights: server.insights, states: server.states, topics, log: silentLog }, { backoffMs: [100], maxDeliver: 2 });
  return () => consumer.stop();
});

const waitFor = <T>(probe: () => Promise<T | undefined>, what: string) => eventually(probe, 30_000, what);

describe('aspect insights', () => {
  it('counts each review once per aspect, shares, Wilson-ranked pros and cons, quotes in a fixed order, locale splits', async () => {
    await bus.publishMany([
      submitted('rev_a1', P1, 5, '2026-03-02T08:00:00.000Z', 'en-US'),
      analyzed('rev_a1', P1, 'POSITIVE', 1, [m('battery', 'POSITIVE', 0.9, 'the battery lasts for days'), m('gps', 'NEGATIVE', 0.8, 'gps is slow'), m('battery', 'POSITIVE', 0.4)]),
      submitted('rev_a2', P1, 4, '2026-03-03T08:00:00.000Z', 'en-US'),
      analyzed('rev_a2', P1, 'POSITIVE', 1, [m('battery', 'POSITIVE', 0.7, 'battery is fine')]),
      submitted('rev_a3', P1, 1, '2026-03-10T08:00:00.000Z', 'de-DE'),
      analyzed('rev_a3', P1, 'NEGATIVE', 1, [m('battery', 'NEGATIVE', 0.95, 'battery died'), m('gps', 'NEGATIVE', 0.6, 'no fix')]),
      // Analysed before its submission is seen: counted once the submission arrives.
      analyzed('rev_a4', P1, 'NEGATIVE', 1, [m('strap', 'NEGATIVE', 0.5, 'strap broke')]),
      submitted('rev_a4', P1, 2, '2026-04-01T08:00:00.000Z', null),
    ]);
    const insights = await waitFor(async () => { const i = await insightsOf(P1); return i?.reviewCount === 4 && i.analyzedCount === 4 ? i : undefined; }, 'four analysed reviews');
    const battery = insights.aspects.find((a: { aspect: string }) => a.aspect === 'battery');
    expect(insights.aspects.map((a: { aspect: string; mentions: number }) => [a.aspect, a.mentions])).toEqual([['battery', 3], ['gps', 2], ['strap', 1]]);
    expect(battery).toMatchObject({ positive: 2, neutral: 0, negative: 1, positiveShare: 0.6667, negativeShare: 0.3333 });
    expect(battery.positiveQuotes).toEqual([
      { review: { id: 'rev_a1' }, snippet: 'the battery lasts for days', span: { start: 0, end: 7 }, confidence: 0.9, reviewCreatedAt: '2026-03-02T08:00:00.000Z' },
      { review: { id: 'rev_a2' }, snippet: 'battery is fine', span: { start: 0, end: 7 }, confidence: 0.7, reviewCreatedAt: '2026-03-03T08:00:00.000Z' },
    ]);
    expect(battery.negativeQuotes.map((q: { review: { id: string } }) => q.review.id)).toEqual(['rev_a3']);
    // gps (2 of 2 negative) outranks strap (1 of 1): the same share, backed by more reviews.
    expect(insights.topCons).toEqual([{ aspect: 'gps', conScore: 0.3424 }, { aspect: 'strap', conScore: 0.2065 }, { aspect: 'battery', conScore: 0.0615 }]);
    expect(insights.topPros).toEqual([{ aspect: 'battery', proScore: 0.2077 }]);
    expect(insights.byLocale).toEqual([
      { locale: 'en-US', reviewCount: 2, averageRating: 4.5, sentimentBreakdown: { positive: 2, neutral: 0, negative: 0 } },
      { locale: 'de-DE', reviewCount: 1, averageRating: 1, sentimentBreakdown: { positive: 0, neutral: 0, negative: 1 } },
      { locale: 'und', reviewCount: 1, averageRating: 2, sentimentBreakdown: { positive: 0, neutral: 0, negative: 1 } },
    ]);
  });

  it('moves aspects and quotes on re-analysis, ignores a stale revision, and takes a deleted review out of everything', async () => {
    await bus.publishMany([analyzed('rev_a1', P1, 'NEGATIVE', 2, [m('battery', 'NEGATIVE', 0.85, 'battery now drains')])]);
    await waitFor(async () => ((await insightsOf(P1)).aspects.find((a: { aspect: string }) => a.aspect === 'gps')?.mentions === 1 ? true : undefined), 'the re-analysis');
    // Revision 1 again (a late redelivery under a new message id) changes nothing.
    await bus.publishMany([analyzed('rev_a1', P1, 'POSITIVE', 1, [m('battery', 'POSITIVE', 0.9)], 'late-rev-1'), deleted('rev_a3', P1, 1)]);
    const after = await waitFor(async () => { const i = await insightsOf(P1); return i.reviewCount === 3 ? i : undefined; }, 'the deletion');
    const battery = after.aspects.find((a: { aspect: string }) => a.aspect === 'battery');
    expect(battery).toMatchObject({ mentions: 2, positive: 1, negative: 1 });
    expect(battery.positiveQuotes.map((q: { review: { id: string } }) => q.review.id)).toEqual(['rev_a2']);
    expect(battery.negativeQuotes.map((q: { review: { id: string } }) => q.review.id)).toEqual(['rev_a1']);
    expect(after.aspects.map((a: { aspect: string }) => a.aspect)).toEqual(['battery', 'strap']);
    expect(after.byLocale.map((l: { locale: string }) => l.locale)).toEqual(['en-US', 'und']);
    expect(after.analyzedCount).toBe(3);
  });

  it('dead-letters a submission that contradicts the one counted, and keeps the numbers', async () => {
    const before = await insightsOf(P1);
    await bus.publishMany([submitted('rev_a2', P1, 1, '2026-03-03T08:00:00.000Z', 'en-US', 'contradiction')]);
    const dead = await waitFor(async () => (await bus.deadLetters(topics.stream.name)).find((d) => d.reason.includes('contradicts')) ?? undefined, 'the dead letter');
    expect(dead.event?.data).toMatchObject({ reviewId: 'rev_a2', rating: 1 });
    expect(await insightsOf(P1)).toEqual(before);
  });

  it('loses no update when two consumers fold events of one product at the same time', async () => {
    const product = 'prd_300000000000000000000003';
    const events = (from: number) => Array.from({ length: 150 }, (_, i) => newEvent('review.submitted', 'tenant-a', { reviewId: `rev_race_${from + i}`, productId: product, rating: 1 + ((from + i) % 5), text: 't', locale: 'en', createdAt: '2026-02-01T00:00:00.000Z' }));
    const one = { insights: new InsightsRepository(database), states: new ReviewStateRepository(database) };
    const two = { insights: new InsightsRepository(database), states: new ReviewStateRepository(database) };
    const batches = [0, 150, 300, 450].map((from) => events(from));
    const results = await Promise.all(batches.flatMap((batch, i) => [
      applyReviewEvents(i % 2 ? one : two, batch.slice(0, 75)),
      applyReviewEvents(i % 2 ? two : one, batch.slice(75)),
    ]));
    expect(results.flat().filter((r) => r instanceof Error)).toEqual([]);
    const insights = await insightsOf(product);
    expect(insights.reviewCount).toBe(600);
    const trend = await trendOf(product, '2026-02-01', '2026-02-02', 'DAY');
    expect(trend.data!._entities[0].insights.trend.buckets[0]).toMatchObject({ reviewCount: 600, averageRating: 3 });
  });
});

describe('the same events at two consumers at once', () => {
  it('counts each review once when two consumers apply the same events concurrently (redelivery while the first still works)', async () => {
    const product = 'prd_500000000000000000000005';
    const events = Array.from({ length: 100 }, (_, i) => [
      newEvent('review.submitted', 'tenant-a', { reviewId: `rev_twin_${i}`, productId: product, rating: 1 + (i % 5), text: 't', locale: 'en', createdAt: '2026-02-03T00:00:00.000Z' }),
      newEvent('review.analyzed', 'tenant-a', { reviewId: `rev_twin_${i}`, productId: product, status: 'DONE', label: 'POSITIVE', previousLabel: null, revision: 1, modelVersion: 'm', aspects: [{ aspect: 'battery', polarity: 'POSITIVE', score: 0.5, snippet: 's', start: 0, end: 1 }] }),
    ]).flat();
    const one = { insights: new InsightsRepository(database), states: new ReviewStateRepository(database) };
    const two = { insights: new InsightsRepository(database), states: new ReviewStateRepository(database) };
    const results = await Promise.all([applyReviewEvents(one, events), applyReviewEvents(two, events), applyReviewEvents(one, [...events].reverse())]);
    expect(results.flat().filter((r) => r instanceof Error)).toEqual([]);
    const insights = await insightsOf(product);
    expect(insights).toMatchObject({ reviewCount: 100, analyzedCount: 100 });
    expect(insights.aspects).toEqual([expect.objectContaining({ aspect: 'battery', mentions: 100, positive: 100 })]);
    const day = (await trendOf(product, '2026-02-03', '2026-02-04', 'DAY')).data!._entities[0].insights.trend.buckets[0];
    expect(day).toMatchObject({ reviewCount: 100, averageRating: 3, positiveShare: 1 });
  });
});

describe('a materialised document left behind', () => {
  it('shows the change of a log entry written just before a crash, and catches up when read', async () => {
    const product = 'prd_600000000000000000000006';
    await applyReviewEvents({ insights: server.insights, states: server.states }, [newEvent('review.submitted', 'tenant-a', { reviewId: 'rev_lag_1', productId: product, rating: 4, text: 't', locale: 'en', createdAt: '2026-02-05T00:00:00.000Z' })]);
    const id = insightsId('tenant-a', product);
    const stored = (await server.insights.collection.findOne({ _id: id }))!;
    // As a writer killed between its log insert and its document update leaves it: entry version + 1 only.
    const review = { reviewId: 'rev_lag_2', submitted: { rating: 2, createdAt: '2026-02-05T00:00:00.000Z', locale: 'en' }, analysis: null };
    await server.insights.products.log.insertOne({ _id: `${id}:${String(stored.version + 1).padStart(10, '0')}`, tenantId: 'tenant-a', aggregateId: id, seq: stored.version + 1, changes: [{ key: 'rev_lag_2:1', from: null, to: review }] } as never);
    expect(await insightsOf(product)).toMatchObject({ reviewCount: 2 });
    expect((await server.insights.collection.findOne({ _id: id }))).toMatchObject({ reviewCount: 2, version: stored.version + 1 });
    // The redelivery of the killed writer's event finishes its work: the product skips the key it holds, the month gets it.
    const redelivered = await applyReviewEvents({ insights: server.insights, states: server.states }, [newEvent('review.submitted', 'tenant-a', { reviewId: 'rev_lag_2', productId: product, rating: 2, text: 't', locale: 'en', createdAt: '2026-02-05T00:00:00.000Z' })]);
    expect(redelivered).toEqual([undefined]);
    expect(await insightsOf(product)).toMatchObject({ reviewCount: 2 });
    const day = (await trendOf(product, '2026-02-05', '2026-02-06', 'DAY')).data!._entities[0].insights.trend.buckets[0];
    expect(day).toMatchObject({ reviewCount: 2, averageRating: 3 });
  });
});

describe('hostile reads', () => {
  it('answers null for another tenant\'s product and for an unknown one', async () => {
    expect(await insightsOf(P1, caller('tenant-b'))).toBeNull();
    expect(await insightsOf('prd_ffffffffffffffffffffffff')).toBeNull();
  });

  it('refuses a caller without the read scope, and out-of-range first', async () => {
    const noScopes = { ...caller(), scopes: [] };
    const refused = await run(INSIGHTS, { r: [{ __typename: 'Product', id: P1 }] }, noScopes);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const first of [0, 51, -3]) {
      const result = await run(`query($r: [_Any!]!, $f: Int) { _entities(representations: $r) { ... on Product { insights { aspects(first: $f) { aspect } } } } }`, { r: [{ __typename: 'Product', id: P1 }], f: first });
      expect(result.errors?.[0]).toMatchObject({ message: 'first must be between 1 and 50', extensions: { code: 'BAD_USER_INPUT' } });
    }
  });
});

describe('trends', () => {
  it('buckets by the day each review was written, by DAY, WEEK (from Monday) and MONTH', async () => {
    const day = (await trendOf(P1, '2026-03-01', '2026-03-05', 'DAY')).data!._entities[0].insights.trend;
    expect(day.buckets.map((b: { start: string; reviewCount: number; averageRating: number | null }) => [b.start, b.reviewCount, b.averageRating])).toEqual([
      ['2026-03-01', 0, null], ['2026-03-02', 1, 5], ['2026-03-03', 1, 4], ['2026-03-04', 0, null],
    ]);
    expect(day.buckets[1]).toMatchObject({ end: '2026-03-03', positiveShare: 0, negativeShare: 1 });
    const week = (await trendOf(P1, '2026-03-01', '2026-04-06', 'WEEK')).data!._entities[0].insights.trend;
    expect(week.buckets.map((b: { start: string; end: string; reviewCount: number }) => [b.start, b.end, b.reviewCount])).toEqual([
      ['2026-03-01', '2026-03-02', 0], ['2026-03-02', '2026-03-09', 2], ['2026-03-09', '2026-03-16', 0], ['2026-03-16', '2026-03-23', 0],
      ['2026-03-23', '2026-03-30', 0], ['2026-03-30', '2026-04-06', 1],
    ]);
    const load = vi.spyOn(server.insights, 'findMonths');
    const month = (await trendOf(P1, '2026-01-01', '2026-05-01', 'MONTH')).data!._entities[0].insights.trend;
    expect(month.buckets.map((b: { start: string; reviewCount: number }) => [b.start, b.reviewCount])).toEqual([['2026-01-01', 0], ['2026-02-01', 0], ['2026-03-01', 2], ['2026-04-01', 1]]);
    expect(load).toHaveBeenCalledTimes(1);
    load.mockRestore();
  });

  it('names the aspects that moved most between the first and the last half of the range', async () => {
    const early = ['2026-01-03', '2026-01-05', '2026-01-09', '2026-01-12'];
    const late = ['2026-02-10', '2026-02-14', '2026-02-20'];
    await bus.publishMany([
      ...early.flatMap((d, i) => [submitted(`rev_e${i}`, P2, 5, `${d}T12:00:00.000Z`, 'en'), analyzed(`rev_e${i}`, P2, 'POSITIVE', 1, [m('battery', 'POSITIVE', 0.8), m('screen', 'POSITIVE', 0.6)])]),
      ...late.flatMap((d, i) => [submitted(`rev_l${i}`, P2, 2, `${d}T12:00:00.000Z`, 'en'), analyzed(`rev_l${i}`, P2, 'NEGATIVE', 1, [m('battery', 'NEGATIVE', 0.8), m('screen', i === 0 ? 'NEGATIVE' : 'POSITIVE', 0.6)])]),
    ]);
    await waitFor(async () => ((await insightsOf(P2))?.analyzedCount === 7 ? true : undefined), 'seven reviews of P2');
    const trend = (await trendOf(P2, '2026-01-01', '2026-03-01', 'MONTH')).data!._entities[0].insights.trend;
    expect(trend.movers).toEqual([
      { aspect: 'battery', firstMentions: 4, lastMentions: 3, firstNetSentiment: 1, lastNetSentiment: -1, change: -2 },
      { aspect: 'screen', firstMentions: 4, lastMentions: 3, firstNetSentiment: 1, lastNetSentiment: 0.3333, change: -0.6667 },
    ]);
    expect(trend.buckets.map((b: { reviewCount: number; averageRating: number }) => [b.reviewCount, b.averageRating])).toEqual([[4, 5], [3, 2]]);
  });

  it('refuses reversed, empty, malformed and too long ranges with BAD_USER_INPUT', async () => {
    const cases: Array<[string, string, string, RegExp]> = [
      ['2026-03-05', '2026-03-01', 'DAY', /reversed/],
      ['2026-03-05', '2026-03-05', 'WEEK', /empty/],
      ['2016-01-01', '2026-01-01', 'DAY', /more than 366 DAY buckets/],
      ['1900-01-01', '2026-01-01', 'MONTH', /more than 120 MONTH buckets/],
      ['2026-02-30', '2026-03-01', 'DAY', /not a calendar date/],
      ['yesterday', '2026-03-01', 'DAY', /must be a date YYYY-MM-DD/],
    ];
    for (const [from, to, g, message] of cases) {
      const result = await trendOf(P1, from, to, g);
      expect(result.errors?.[0]?.extensions?.code, `${from}..${to} ${g}`).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    const full = (await trendOf(P1, '2025-03-01', '2026-03-01', 'DAY')).data!._entities[0].insights.trend;
    expect(full.buckets).toHaveLength(365);
  });
});

describe('summary and comparison', () => {
  const P4 = 'prd_400000000000000000000004';
  const summaryOf = async (productId: string) => (await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { summary { text sufficient citedReviews { id } } } } } }`, { r: [{ __typename: 'Product', id: productId }] })).data!._entities[0].insights.summary;
  const COMPARE = `query($ids: [ID!]!) { compareProducts(ids: $ids) { products { product { id } reviewCount averageRating positiveShare negativeShare } ratingSpread sharedAspects { aspect spread products { product { id } mentions netSentiment } } } }`;

  it('says so when there are too few analysed reviews, and claims nothing else', async () => {
    expect(await summaryOf(P1)).toEqual({ text: 'Too few reviews to summarise yet: 3 reviews, 3 analysed; a summary needs at least 5 analysed reviews.', sufficient: false, citedReviews: [] });
  });

  it('builds the paragraph from the counts and the best quotes, and cites the reviews it quotes', async () => {
    const ratings = [5, 5, 4, 5, 2, 1];
    await bus.publishMany(ratings.flatMap((rating, i) => {
      const id = `rev_s${i + 1}`;
      const aspects = i < 4 ? [m('battery', 'POSITIVE', 0.9 - i * 0.1, `battery p${i + 1}`)] : [m('gps', 'NEGATIVE', 1.3 - i * 0.1, `gps n${i + 1}`)];
      if (i === 0) aspects.push(m('strap', 'POSITIVE', 0.5));
      return [submitted(id, P4, rating, `2026-03-0${i + 1}T08:00:00.000Z`, 'en'), analyzed(id, P4, i < 4 ? 'POSITIVE' : 'NEGATIVE', 1, aspects)];
    }));
    await waitFor(async () => ((await insightsOf(P4))?.analyzedCount === 6 ? true : undefined), 'six analysed reviews of P4');
    expect(await summaryOf(P4)).toEqual({
      text: 'Based on 6 reviews (average 3.7 of 5 stars): of the 6 analysed, 67% are positive, 0% neutral and 33% negative. '
        + 'Customers praise the battery: 4 of the 4 reviews that mention it are positive, e.g. "battery p1". '
        + 'Customers complain about the gps: 2 of the 2 reviews that mention it are negative, e.g. "gps n5".',
      sufficient: true,
      citedReviews: [{ id: 'rev_s1' }, { id: 'rev_s5' }],
    });
  });

  it('compares 2 to 5 products of the tenant, the strongest aspect difference first', async () => {
    const two = (await run(COMPARE, { ids: [P4, P2] })).data!.compareProducts;
    expect(two.products.map((p: { product: { id: string } }) => p.product.id)).toEqual([P4, P2]);
    expect(two.products[0]).toMatchObject({ reviewCount: 6, averageRating: 3.67, positiveShare: 0.6667, negativeShare: 0.3333 });
    expect(two.ratingSpread).toBe(0.05);
    expect(two.sharedAspects).toEqual([{ aspect: 'battery', spread: 0.8571, products: [{ product: { id: P4 }, mentions: 4, netSentiment: 1 }, { product: { id: P2 }, mentions: 7, netSentiment: 0.1429 }] }]);
    const three = (await run(COMPARE, { ids: [P1, P2, P4] })).data!.compareProducts;
    expect(three.sharedAspects.map((a: { aspect: string; spread: number }) => [a.aspect, a.spread])).toEqual([['battery', 1]]);
  });

  it('refuses 1, 6 or 50 ids, repeated ids, unknown and foreign products, and a caller without read', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `prd_${i.toString(16).padStart(24, '0')}`);
    for (const [list, message] of [[[P1], /2 to 5 product ids; got 1/], [ids(6), /got 6/], [ids(50), /got 50/], [[P1, P2, P1], /prd_100000000000000000000001 is given more than once/], [[P1, ''], /1 to 200 characters/]] as const) {
      const result = await run(COMPARE, { ids: list });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(message);
    }
    const unknown = await run(COMPARE, { ids: [P1, 'prd_ffffffffffffffffffffffff'] });
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', ids: ['prd_ffffffffffffffffffffffff'] } });
    const foreign = await run(COMPARE, { ids: [P1, P2] }, caller('tenant-b'));
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND', ids: [P1, P2] } });
    expect(foreign.data).toBeNull();
    const refused = await run(COMPARE, { ids: [P1, P2] }, { ...caller(), scopes: [] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('rebuild', () => {
  it('recomputes from the review states exactly what the consumer folded', async () => {
    const strip = ({ version: _v, updatedAt: _u, recentEffects: _r, ...rest }: Record<string, unknown>) => rest;
    // as stored, with the fields kept packed (JSON strings) unpacked
    const stored = async () => ({
      products: (await server.insights.collection.find({}).sort({ _id: 1 }).toArray()).map((d) => server.insights.products.fromStored(d) as unknown as Record<string, unknown>),
      months: (await server.insights.months.find({}).sort({ _id: 1 }).toArray()).map((d) => server.insights.monthAggregates.fromStored(d) as unknown as Record<string, unknown>),
    });
    const { products: before, months: monthsBefore } = await stored();
    const result = await rebuildInsights({ insights: server.insights, states: server.states }, { graceMs: 0 });
    expect(result).toMatchObject({ products: 6, done: true });
    const { products: after, months: monthsAfter } = await stored();
    expect(after.map(strip)).toEqual(before.map(strip));
    expect(monthsAfter.map(strip)).toEqual(monthsBefore.map(strip));
  });

  it('resumes after an interruption with the next product, and counts every product once', async () => {
    const abort = new AbortController();
    const first = await rebuildInsights({ insights: server.insights, states: server.states }, { restart: true, graceMs: 0, signal: abort.signal, onProgress: (p) => { if (p.products === 1) abort.abort(); } });
    expect(first).toMatchObject({ products: 1, done: false });
    const seen: number[] = [];
    const rest = await rebuildInsights({ insights: server.insights, states: server.states }, { graceMs: 0, onProgress: (p) => seen.push(p.products) });
    expect(rest).toMatchObject({ products: 6, done: true });
    expect(seen[0]).toBe(2);
    expect((await insightsOf(P1)).reviewCount).toBe(3);
  });

  it('holds the consumer while a rebuild runs, and applies what waited afterwards', async () => {
    const rebuild = rebuildInsights({ insights: server.insights, states: server.states }, { restart: true, graceMs: 2_500 });
    await new Promise((r) => setTimeout(r, 300));
    await bus.publishMany([submitted('rev_during', P1, 5, '2026-03-20T08:00:00.000Z', 'en-US')]);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await insightsOf(P1)).reviewCount, 'held during the rebuild').toBe(3);
    await rebuild;
    await waitFor(async () => ((await insightsOf(P1)).reviewCount === 4 ? true : undefined), 'the held event applied');
  });
});
