/**
 * Insights consumer throughput against the bus alone, on the same events in the same run: the
 * events (a `review.submitted` and a `review.analyzed` per review, with aspects, snippets and
 * spans, several locales, spread over 120 days) wait on a fresh stream; then (1) a consumer whose
 * handler does nothing, (2) the applications insights consumer with everything it maintains
 * (review states, product insights with aspects, quotes and locales, daily trend buckets, alert
 * evaluation) each drain a stream of their own. Rates are events per second from the consumer's
 * start until everything is applied.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { MongoClient, type Db } from 'mongodb';
import { connectBus, type Bus } from '../../lib/bus/index.js';
import type { Logger } from '../../lib/logger.js';
import { connectDatabase, databaseName } from '../../lib/mongo.js';
import { reviewTopics, type ReviewTopics } from '../../lib/streams.js';
import { AlertRepository } from '../../subgraphs/applications/src/repositories/alert-repository.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import type { BenchInfra } from '../infra.js';
import { commandCounts, commandsBetween } from '../support/server-status.js';
import { benchReview, countsAsAnalyzed, reviewEvents } from './review-events.js';

const TENANT = 'bench';

/**
 * `intake`: only the `review.submitted` events, of reviews written over 600 days that ended a year
 * ago (before the alert windows), as intake without an analysis worker sends them (`bench:ingest`).
 */
export interface RateOptions { reviews: number; products: number; log: Logger; now?: Date; intake?: boolean }

const YEAR_MS = 365 * 86_400_000;

/** The run's review at `i`: for intake, written over 600 days that ended a year before `now`. */
function rateReview(i: number, opts: RateOptions, now: Date) {
  const product = benchProductId(i % opts.products);
  return opts.intake ? benchReview(i, TENANT, product, { now: new Date(now.getTime() - YEAR_MS), spreadDays: 600 }) : benchReview(i, TENANT, product, { now, surge: i % opts.products % 5 === 0 });
}

/** The events of the run's review at `i`. */
function rateEvents(topics: ReviewTopics, i: number, opts: RateOptions, now: Date) {
  const events = reviewEvents(topics, rateReview(i, opts, now));
  return opts.intake ? events.slice(0, 1) : events;
}

const eventsPerReview = (opts: RateOptions) => (opts.intake ? 1 : 2);
/** What one drain cost: this process's CPU (user + system) and the database commands it sent, per event. */
export interface DrainCost { cpuMsPerEvent: number; commandsPerEvent: number; commands: Record<string, number> }
export interface Rates { events: number; bus: number; insights: number; alertsRaised: number; busCost: DrainCost; insightsCost: DrainCost }

export const benchProductId = (i: number) => `prd_${i.toString(16).padStart(24, '0')}`;

/** Polls `done` every 50 ms, for at most `limitMs`. */
export async function waitUntil(done: () => Promise<boolean>, what: string, limitMs = 1_800_000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`${what} not done after ${Math.round(limitMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Publishes the run's events to a fresh stream, runs `measure`, then deletes the stream. */
async function withStream<T>(infra: BenchInfra, opts: RateOptions, measure: (bus: Bus, topics: ReviewTopics, name: string) => Promise<T>): Promise<T> {
  const name = `benchins_${Date.now().toString(36)}`;
  const topics = reviewTopics(name);
  const bus = await connectBus({ natsUrl: infra.natsUrl, name: 'bench', streams: [topics.stream], log: opts.log });
  try {
    const now = opts.now ?? new Date();
    for (let start = 0; start < opts.reviews; start += 500) {
      const events = [];
      for (let i = start; i < Math.min(opts.reviews, start + 500); i++) events.push(...rateEvents(topics, i, opts, now));
      const published = await bus.publishMany(events);
      if (published.failed.length > 0) throw new Error(`${published.failed.length} events not published`);
    }
    return await measure(bus, topics, name);
  } finally {
    const jsm = await jetstreamManager(bus.connection);
    for (const stream of [topics.stream.name, `${topics.stream.name}_DLQ`]) await jsm.streams.delete(stream).catch(() => undefined);
    await bus.close();
  }
}

/** Starts counting this process's CPU and the server's data commands; `end` gives them per event. */
async function costMeter(admin: Db, events: number): Promise<{ end(): Promise<DrainCost> }> {
  const commands = await commandCounts(admin);
  const cpu = process.cpuUsage();
  return {
    async end() {
      const used = process.cpuUsage(cpu);
      // The counters are read before the reads that check the result, so those are not counted.
      const grown = commandsBetween(commands, await commandCounts(admin));
      const total = Object.values(grown).reduce((sum, n) => sum + n, 0);
      return { cpuMsPerEvent: (used.user + used.system) / 1000 / events, commandsPerEvent: total / events, commands: grown };
    },
  };
}

/** Events per second through a consumer whose handler does nothing: what the bus alone allows. */
export function busRate(infra: BenchInfra, opts: RateOptions): Promise<{ rate: number; cost: DrainCost }> {
  return withStream(infra, opts, async (bus, topics) => {
    const client = await MongoClient.connect(infra.mongoUri);
    try {
      const events = opts.reviews * eventsPerReview(opts);
      const meter = await costMeter(client.db('admin'), events);
      const started = performance.now();
      const consumer = await bus.consume<unknown>({ stream: topics.stream.name, durable: 'bench', maxMessages: 128, batch: { size: 128, handler: async (items) => items.map(() => undefined) } });
      await waitUntil(async () => consumer.processed >= events, 'bus baseline');
      const rate = events / ((performance.now() - started) / 1000);
      const cost = await meter.end();
      await consumer.stop();
      return { rate, cost };
    } finally {
      await client.close();
    }
  });
}

/** Events per second the insights consumer applies, with alerts evaluated; checks every product's counts at the end. */
export function insightsRate(infra: BenchInfra, opts: RateOptions): Promise<{ rate: number; alertsRaised: number; cost: DrainCost }> {
  return withStream(infra, opts, async (bus, topics, name) => {
    const database = await connectDatabase(infra.mongoUri, databaseName(name, 'applications'));
    try {
      const insights = new InsightsRepository(database);
      const alerts = new AlertRepository(database);
      await insights.ensureIndexes();
      const now = opts.now ?? new Date();
      const expected = { reviews: opts.reviews, analyzed: 0 };
      for (let i = 0; i < opts.reviews; i++) if (!opts.intake && countsAsAnalyzed(rateReview(i, opts, now))) expected.analyzed++;
      const ids = Array.from({ length: opts.products }, (_, i) => benchProductId(i));
      const events = opts.reviews * eventsPerReview(opts);
      const meter = await costMeter(database.client.db('admin'), events);
      const started = performance.now();
      const consumer = await startInsightsConsumer(bus, { insights, alerts, topics, log: opts.log });
      let cost: DrainCost | undefined;
      await waitUntil(async () => {
        if (consumer.processed < events) return false;
        cost ??= await meter.end();
        const found = [...(await insights.findByProductIds(TENANT, ids)).values()];
        return found.reduce((sum, d) => sum + d.reviewCount, 0) === expected.reviews && found.reduce((sum, d) => sum + d.analyzedCount, 0) === expected.analyzed;
      }, 'insights');
      const rate = events / ((performance.now() - started) / 1000);
      await consumer.stop();
      const alertsRaised = await alerts.collection.countDocuments({ tenantId: TENANT });
      return { rate, alertsRaised, cost: cost! };
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });
}

/** Both rates, the bus first, on the same events. */
export async function consumerRates(infra: BenchInfra, opts: RateOptions): Promise<Rates> {
  const now = opts.now ?? new Date();
  const bus = await busRate(infra, { ...opts, now });
  const insights = await insightsRate(infra, { ...opts, now });
  return { events: opts.reviews * eventsPerReview(opts), bus: bus.rate, insights: insights.rate, alertsRaised: insights.alertsRaised, busCost: bus.cost, insightsCost: insights.cost };
}
