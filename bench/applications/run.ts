/**
 * Insights throughput: how fast the applications consumer turns review events into product
 * insights. The events (one `review.submitted` and one `review.analyzed` per review, spread over
 * the products of a catalogue) wait on a fresh stream; the consumer then starts, and the rate is
 * events applied per second until every product's counts are complete. The baseline in the same
 * run is the bus alone: a consumer with a handler that does nothing, on the same events.
 * Usage: npm run bench:applications -- [--reviews 3000] [--products 6]
 */
import { parseArgs } from 'node:util';
import { benchInfra } from '../infra.js';
import { connectBus, newEvent, type Bus } from '../../lib/bus/index.js';
import { createLogger } from '../../lib/logger.js';
import { connectDatabase, databaseName } from '../../lib/mongo.js';
import { reviewTopics, type ReviewTopics } from '../../lib/streams.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';

const { values } = parseArgs({ options: { reviews: { type: 'string', default: '3000' }, products: { type: 'string', default: '6' } } });
const reviews = Number(values.reviews);
const products = Number(values.products);
if (!Number.isInteger(reviews) || reviews < 100) throw new Error('--reviews must be a whole number ≥ 100');
if (!Number.isInteger(products) || products < 1 || products > reviews) throw new Error('--products must be a whole number from 1 to --reviews');
const log = createLogger('bench', 'warn');
const productId = (i: number) => `prd_${(i % products).toString(16).padStart(24, '0')}`;

async function withStream<T>(infra: { mongoUri: string; natsUrl: string }, run: (bus: Bus, topics: ReviewTopics, name: string) => Promise<T>): Promise<T> {
  const name = `benchapps_${Date.now().toString(36)}`;
  const topics = reviewTopics(name);
  const bus = await connectBus({ natsUrl: infra.natsUrl, name: 'bench', streams: [topics.stream], log });
  try {
    const events = Array.from({ length: reviews }, (_, i) => {
      const reviewId = `rev_${i.toString(16).padStart(24, '0')}`;
      return [
        { subject: topics.submitted, event: newEvent('review.submitted', 'bench', { reviewId, productId: productId(i), rating: 1 + (i % 5), text: 't', productCategory: 'sport-watch', locale: 'en-US', createdAt: new Date().toISOString() }) },
        { subject: topics.analyzed, event: newEvent('review.analyzed', 'bench', { reviewId, productId: productId(i), status: 'DONE', label: i % 3 === 0 ? 'NEGATIVE' : 'POSITIVE', previousLabel: null, revision: 1, modelVersion: 'bench', aspects: [] }) },
      ];
    }).flat();
    const published = await bus.publishMany(events);
    if (published.failed.length > 0) throw new Error(`${published.failed.length} events not published`);
    return await run(bus, topics, name);
  } finally {
    const jsm = await jetstreamManager(bus.connection);
    for (const stream of [topics.stream.name, `${topics.stream.name}_DLQ`]) await jsm.streams.delete(stream).catch(() => undefined);
    await bus.close();
  }
}

async function waitUntil(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + 600_000;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`${what} not done after 10 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Events per second through a consumer whose handler does nothing: what the bus alone allows. */
function busRate(infra: { mongoUri: string; natsUrl: string }): Promise<number> {
  return withStream(infra, async (bus, topics) => {
    const started = performance.now();
    const consumer = await bus.consume<unknown>({ stream: topics.stream.name, durable: 'bench', maxMessages: 128, batch: { size: 128, handler: async (items) => items.map(() => undefined) } });
    await waitUntil(async () => consumer.processed >= reviews * 2, 'bus baseline');
    const rate = (reviews * 2) / ((performance.now() - started) / 1000);
    await consumer.stop();
    return rate;
  });
}

function insightsRate(infra: { mongoUri: string; natsUrl: string }): Promise<number> {
  return withStream(infra, async (bus, topics, name) => {
    const database = await connectDatabase(infra.mongoUri, databaseName(name, 'applications'));
    try {
      const insights = new InsightsRepository(database);
      const started = performance.now();
      const consumer = await startInsightsConsumer(bus, { insights, topics, log });
      const ids = Array.from({ length: products }, (_, i) => productId(i));
      await waitUntil(async () => {
        if (consumer.processed < reviews * 2) return false;
        const found = await insights.findByProductIds('bench', ids);
        return [...found.values()].reduce((sum, d) => sum + d.reviewCount + d.analyzedCount, 0) === reviews * 2;
      }, 'insights');
      const rate = (reviews * 2) / ((performance.now() - started) / 1000);
      await consumer.stop();
      return rate;
    } finally {
      await database.db.dropDatabase();
      await database.close();
    }
  });
}

const infra = await benchInfra();
try {
  process.stdout.write(`insights benchmark: ${reviews} reviews (${reviews * 2} events) over ${products} products\n`);
  const bus = await busRate(infra);
  const apps = await insightsRate(infra);
  process.stdout.write(`\n| measure | events/s | ratio |\n|---|---|---|\n`);
  process.stdout.write(`| bus alone, handler does nothing (baseline) | ${bus.toFixed(0)} | 1.00 |\n`);
  process.stdout.write(`| insights consumer | ${apps.toFixed(0)} | ${(apps / bus).toFixed(2)} of the bus |\n`);
} finally {
  await infra.close();
}
