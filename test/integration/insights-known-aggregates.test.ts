import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type PublishItem, type RunningConsumer } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { reviewStateId, stateVersionId } from '../../subgraphs/applications/src/models/review-state.js';
import { AlertRepository } from '../../subgraphs/applications/src/repositories/alert-repository.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { ReviewStateRepository } from '../../subgraphs/applications/src/repositories/review-state-repository.js';
import { applyReviewEvents, startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { rebuildInsights } from '../../subgraphs/applications/src/services/insights-rebuild.js';
import { eventually, freshBus, silentLog } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';

// The consumer's database commands, counted from the driver's own command events: "find alert_signals".
let client: MongoClient;
let database: Database;
const commands: string[] = [];
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;
let insights: InsightsRepository;

const TENANT = 'tenant-a';
const DAY = 86_400_000;
const productId = (tag: string, p: number) => `prd_${tag}${p.toString(16).padStart(22, '0')}`;

beforeAll(async () => {
  client = new MongoClient(testInfra().mongoUri, { monitorCommands: true });
  await client.connect();
  database = { client, db: client.db(uniqueName('known_aggregates')), isFerretDB: true, close: () => client.close() };
  client.on('commandStarted', (e) => commands.push(`${e.commandName} ${String(e.command[e.commandName])}`));
  ({ bus, topics } = await freshBus('known_aggregates'));
  insights = new InsightsRepository(database);
  consumer = await startInsightsConsumer(bus, { insights, states: new ReviewStateRepository(database), alerts: new AlertRepository(database), topics, log: silentLog }, { backoffMs: [100], maxDeliver: 3 });
});

afterAll(async () => {
  await consumer?.stop();
  await database?.db.dropDatabase();
  await client?.close();
});

let serial = 0;
/** A review's submission and analysis, written `daysAgo` days ago, with one or two aspect mentions. */
function review(product: string, daysAgo: number, opts: { negative?: boolean } = {}): PublishItem[] {
  const n = serial++;
  const reviewId = `rev_ka_${n}`;
  const negative = opts.negative ?? n % 3 === 0;
  const createdAt = new Date(Date.now() - daysAgo * DAY).toISOString();
  const polarity = negative ? 'NEGATIVE' : 'POSITIVE';
  const aspects = [{ aspect: 'battery', polarity, score: 0.5 + (n % 40) / 100, snippet: `the battery of ${reviewId}`, start: 4, end: 11 }];
  if (n % 2 === 0) aspects.push({ aspect: 'strap', polarity: 'POSITIVE', score: 0.7, snippet: `a strap for ${reviewId}`, start: 2, end: 7 });
  return [
    { subject: topics.submitted, event: newEvent('review.submitted', TENANT, { reviewId, productId: product, rating: negative ? 1 + (n % 2) : 4 + (n % 2), text: 't', productCategory: null, title: null, locale: ['en-US', 'de-DE', 'fr-FR'][n % 3], createdAt }) },
    { subject: topics.analyzed, event: newEvent('review.analyzed', TENANT, { reviewId, productId: product, status: 'DONE', label: polarity, previousLabel: null, revision: 1, modelVersion: 'm', aspects }) },
  ];
}

/** Publishes the events and waits until the consumer has handled them; returns the commands it sent meanwhile. */
async function drained(items: PublishItem[]): Promise<string[]> {
  const target = consumer.processed + items.length;
  const before = commands.length;
  const { failed } = await bus.publishMany(items);
  expect(failed).toEqual([]);
  await eventually(async () => (consumer.processed >= target ? true : undefined), 60_000, `${items.length} events handled`);
  return commands.slice(before);
}

const count = (list: readonly string[], name: string) => list.filter((c) => c === name).length;
const reviewCount = async (product: string) => (await new InsightsRepository(database).findByProductIds(TENANT, [product])).get(product)?.reviewCount ?? 0;

describe('a consumer that remembers what it wrote', () => {
  it('folds 1,200 events of 6 products in a few commands per batch, into exactly what a rebuild recomputes from the review states', async () => {
    const products = Array.from({ length: 6 }, (_, p) => productId('a', p));
    // Published while the consumer waits for them, so it takes full batches, as under a backlog.
    const items = Array.from({ length: 600 }, (_, i) => review(products[i % 6]!, i % 120)).flat();
    const sent = await drained(items);
    // 128-event batches that read back every aggregate, and read it again for the alerts, sent 0.155 per event here (186 commands); now about 0.03.
    expect(sent.length / items.length, sent.join(', ')).toBeLessThanOrEqual(0.08);
    const found = await new InsightsRepository(database).findByProductIds(TENANT, products);
    expect(products.map((p) => found.get(p)?.reviewCount)).toEqual(products.map(() => 100));

    // Partial updates left every stored document exactly as a recomputation from the states.
    const strip = ({ version: _v, updatedAt: _u, recentEffects: _r, ...rest }: Record<string, unknown>) => rest;
    const fresh = new InsightsRepository(database);
    const stored = async () => ({
      products: (await fresh.collection.find({}).sort({ _id: 1 }).toArray()).map((d) => strip(fresh.products.fromStored(d) as unknown as Record<string, unknown>)),
      months: (await fresh.months.find({}).sort({ _id: 1 }).toArray()).map((d) => strip(fresh.monthAggregates.fromStored(d) as unknown as Record<string, unknown>)),
    });
    const folded = await stored();
    expect(folded.months.length).toBeGreaterThanOrEqual(24);
    await rebuildInsights({ insights: fresh, states: new ReviewStateRepository(database) }, { graceMs: 0 });
    expect(await stored()).toEqual(folded);
  });

  it('forgets what it remembers once a rebuild has rewritten the products, and counts on from the rebuilt numbers', async () => {
    const product = productId('b', 1);
    await drained([...review(product, 2), ...review(product, 3), ...review(product, 4)]);
    expect(await reviewCount(product)).toBe(3);
    // A review whose state reached the store but never the aggregates (its events dead-lettered): only a rebuild counts it.
    const reviewId = 'rev_ka_rebuilt_only';
    const stateId = reviewStateId(TENANT, product, reviewId);
    const counted = { reviewId, submitted: { rating: 3, createdAt: new Date(Date.now() - 5 * DAY).toISOString(), locale: 'en-US' }, analysis: null };
    await new ReviewStateRepository(database).insertVersion({ _id: stateVersionId(stateId, 1), stateId, tenantId: TENANT, productId: product, reviewId, version: 1, submitted: counted.submitted, analysis: null, deleted: false, change: { key: `${reviewId}:1`, from: null, to: counted } });
    await rebuildInsights({ insights: new InsightsRepository(database), states: new ReviewStateRepository(database) }, { graceMs: 0 });
    expect(await reviewCount(product)).toBe(4);
    // A consumer building on its memory of 3 would write 4 over the rebuilt 4 (the rebuild keeps the version it guards with).
    await drained(review(product, 1));
    expect(await reviewCount(product)).toBe(5);
  });

  it('evaluates a product evaluated today again only when a change can reach its alerts', async () => {
    const product = productId('c', 1);
    const signalReads = (sent: string[]) => count(sent, 'find alert_signals');
    expect(signalReads(await drained([...review(product, 1), ...review(product, 10)]))).toBeGreaterThan(0);
    // Reviews from two years ago without negative mentions: neither the windows nor the negative quotes move.
    const old = [...review(product, 700, { negative: false }), ...review(product, 720, { negative: false })];
    expect(signalReads(await drained(old))).toBe(0);
    expect(await reviewCount(product)).toBe(4);
    // A negative mention of any date can displace a recent quote an alert shows: evaluated.
    expect(signalReads(await drained(review(product, 700, { negative: true })))).toBeGreaterThan(0);
    // So can a review inside the windows.
    expect(signalReads(await drained(review(product, 3, { negative: false })))).toBeGreaterThan(0);
  });
});

describe('a memory another writer went far past', () => {
  it('counts the change once when the log entry after the remembered version was trimmed', async () => {
    const product = productId('d', 1);
    const submitted = (i: number) => newEvent('review.submitted', TENANT, { reviewId: `rev_ka_far_${i}`, productId: product, rating: 1 + (i % 5), text: 't', locale: 'en', createdAt: '2026-02-10T00:00:00.000Z' });
    const one = { insights: new InsightsRepository(database), states: new ReviewStateRepository(database) };
    const two = { insights: new InsightsRepository(database), states: new ReviewStateRepository(database) };
    expect(await applyReviewEvents(one, [submitted(0)])).toEqual([undefined]);
    // The other writer takes the product to version 300, which trims the entries up to version 100.
    for (let i = 1; i < 300; i++) expect(await applyReviewEvents(two, [submitted(i)])).toEqual([undefined]);
    const id = insightsId(TENANT, product);
    expect(await one.insights.products.log.findOne({ _id: `${id}:${String(2).padStart(10, '0')}` } as never)).toBeNull();
    // `one` still remembers version 1: its entry 2 lands in the trimmed gap, where no reader looks.
    expect(await applyReviewEvents(one, [submitted(300)])).toEqual([undefined]);
    expect(await reviewCount(product)).toBe(301);
    const months = await new InsightsRepository(database).findMonths(TENANT, product, ['2026-02']);
    expect(months.get('2026-02')?.days['10']?.count).toBe(301);
  });
});
