/**
 * A running stack (gateway and the three subgraphs, no analysis worker) and a store that grows
 * the way production fills it: each review is stored by collection's own repository (so the
 * gateway completes quoted reviews), then its `review.submitted` and `review.analyzed` go to the
 * bus, and the stack's applications process folds them into insights, trend buckets and alerts.
 * The analysis worker does not run (it would analyse the submissions again): the analyses come
 * with the events. One product (TARGET_SKU) holds the first TARGET_REVIEWS reviews, written over
 * the last 120 days with a recent surge of battery complaints; the rest of the store goes to
 * filler products of FILLER_REVIEWS reviews each, published product after product.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus, type Bus } from '../../lib/bus/index.js';
import type { Logger } from '../../lib/logger.js';
import { connectDatabase, databaseName, type Database } from '../../lib/mongo.js';
import type { Stack } from '../../lib/stack.js';
import { reviewTopics, type ReviewTopics } from '../../lib/streams.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { APPLICATIONS_CONSUMER } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { ProductRepository } from '../../subgraphs/collection/src/repositories/product-repository.js';
import { ReviewRepository } from '../../subgraphs/collection/src/repositories/review-repository.js';
import type { BenchInfra } from '../infra.js';
import { startBenchStack } from '../support/bench-stack.js';
import { waitUntil } from './consumer-rate.js';
import { benchReview, countsAsAnalyzed, reviewEvents, type BenchReview } from './review-events.js';

export const TENANT = 'bench';
export const API_KEY = 'bench-insights-key-0123456789abcdef';
export const TARGET_SKU = 'BENCH-TARGET';
export const TARGET_REVIEWS = 500;
export const FILLER_REVIEWS = 250;
const CHUNK = 1_000;

export class ProductStore {
  /** Reviews stored (and published); `expected` is what every product's insights must count once applied. */
  size = 0;
  private nextIndex = 0;
  private fillerReviews = 0;
  readonly productIds = new Map<string, string>();
  readonly expected = new Map<string, { reviews: number; analyzed: number }>();
  readonly now = new Date();

  private constructor(
    readonly stack: Stack,
    readonly bus: Bus,
    readonly topics: ReviewTopics,
    readonly insights: InsightsRepository,
    private readonly products: ProductRepository,
    private readonly reviews: ReviewRepository,
    private readonly databases: Database[],
  ) {}

  static async start(infra: BenchInfra, log: Logger): Promise<ProductStore> {
    const prefix = `benchinsights${Date.now().toString(36)}`;
    const topics = reviewTopics(prefix);
    const collection = await connectDatabase(infra.mongoUri, databaseName(prefix, 'collection'));
    const applications = await connectDatabase(infra.mongoUri, databaseName(prefix, 'applications'));
    const stack = await startBenchStack({ mongoUri: infra.mongoUri, natsUrl: infra.natsUrl, prefix, apiKey: API_KEY, tenantId: TENANT });
    const bus = await connectBus({ natsUrl: infra.natsUrl, name: 'bench-insights', streams: [topics.stream], log });
    return new ProductStore(stack, bus, topics, new InsightsRepository(applications), new ProductRepository(collection), new ReviewRepository(collection), [collection, applications]);
  }

  async productId(sku: string): Promise<string> {
    let id = this.productIds.get(sku);
    if (!id) {
      id = (await this.products.upsertBySku(TENANT, { sku, name: `Watch ${sku}`, brand: 'Bench', category: 'sport-watch' }))._id;
      this.productIds.set(sku, id);
      this.expected.set(id, { reviews: 0, analyzed: 0 });
    }
    return id;
  }

  /**
   * Stores reviews the way collection does (unless `store` is false), then publishes their events;
   * returns each with its `review.analyzed` timestamp (ms).
   */
  async write(reviews: BenchReview[], opts: { store?: boolean } = {}): Promise<Array<{ review: BenchReview; analyzedAt: number }>> {
    if (opts.store !== false) await this.reviews.insertNew(reviews.map((r) => r.review));
    const events = reviews.map((r) => reviewEvents(this.topics, r));
    const published = await this.bus.publishMany(events.flat());
    if (published.failed.length > 0) throw new Error(`${published.failed.length} events not published`);
    for (const r of reviews) {
      const counts = this.expected.get(r.review.productId)!;
      counts.reviews++;
      if (countsAsAnalyzed(r)) counts.analyzed++;
    }
    this.size += reviews.length;
    return reviews.map((review, i) => ({ review, analyzedAt: Date.parse(events[i]![1]!.event.occurredAt) }));
  }

  /** The next review's index (its id), for reviews written outside `growTo`. */
  takeIndex(): number {
    return this.nextIndex++;
  }

  /** Grows the store to `size` reviews and waits until the applications consumer has applied all of them. */
  async growTo(size: number, progress: (line: string) => void): Promise<void> {
    const target = await this.productId(TARGET_SKU);
    const started = performance.now();
    while (this.size < size) {
      const chunk: BenchReview[] = [];
      while (chunk.length < CHUNK && this.size + chunk.length < size) {
        const index = this.takeIndex();
        const onTarget = (this.expected.get(target)?.reviews ?? 0) + chunk.filter((r) => r.review.productId === target).length < TARGET_REVIEWS;
        const productId = onTarget ? target : await this.productId(`FILL-${Math.floor(this.fillerReviews++ / FILLER_REVIEWS)}`);
        chunk.push(benchReview(index, TENANT, productId, { now: this.now, surge: onTarget }));
      }
      await this.write(chunk);
      progress(`store: ${this.size.toLocaleString('en')} / ${size.toLocaleString('en')} reviews stored and published`);
    }
    let last = 0;
    await waitUntil(async () => {
      const stats = await this.bus.consumerStats(this.topics.stream.name, APPLICATIONS_CONSUMER);
      if (performance.now() - last > 5_000) {
        last = performance.now();
        const left = stats.pending + stats.ackPending;
        progress(`store: ${this.size.toLocaleString('en')} reviews, ${left.toLocaleString('en')} events left for the insights consumer (${Math.round((performance.now() - started) / 1000)} s)`);
      }
      return stats.pending === 0 && stats.ackPending === 0 && (await this.applied());
    }, 'the insights consumer', 3 * 3_600_000);
  }

  /** Whether every product's insights count what was published for it. */
  async applied(): Promise<boolean> {
    const ids = [...this.expected.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      const found = await this.insights.findByProductIds(TENANT, ids.slice(i, i + 200));
      for (const id of ids.slice(i, i + 200)) {
        const doc = found.get(id);
        const want = this.expected.get(id)!;
        if (want.reviews === 0) continue;
        if (!doc || doc.reviewCount !== want.reviews || doc.analyzedCount !== want.analyzed) return false;
      }
    }
    return true;
  }

  /** Dead letters of the applications consumer (a dead-lettered event is a review missing from an insight). */
  async deadLetters(): Promise<number> {
    return (await this.bus.consumerStats(this.topics.stream.name, APPLICATIONS_CONSUMER)).deadLetters;
  }

  /** Stops the stack and removes what the run created; a step that fails is reported, not thrown over the run's own error. */
  async stop(): Promise<void> {
    const step = (what: string, work: () => Promise<unknown>) => work().catch((error: Error) => process.stderr.write(`  cleanup: ${what} failed: ${error.message}\n`));
    await step('stopping the stack', () => this.stack.stop());
    await step('deleting the streams', async () => {
      const jsm = await jetstreamManager(this.bus.connection);
      for (const stream of [this.topics.stream.name, `${this.topics.stream.name}_DLQ`]) await jsm.streams.delete(stream).catch(() => undefined);
    });
    await step('closing the bus', () => this.bus.close());
    for (const database of this.databases) {
      await step('dropping a database', () => database.db.dropDatabase());
      await step('closing a database', () => database.close());
    }
  }
}
