import { describe, expect, it } from 'vitest';
import { newEvent, type PublishItem } from '../../lib/bus/index.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { APPLICATIONS_CONSUMER, startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { eventually, freshBus, freshDatabase, silentLog } from '../support/fixtures.js';

const PRODUCTS = 300;
const productId = (p: number) => `prd_${p.toString(16).padStart(24, '0')}`;

// A batch of 128 events over as many products writes 128 insights and 128 months of daily buckets at
// once: sent as one update command each, FerretDB never answered them, nor anything else on that database.
describe('insights consumer on batches touching many products', () => {
  it(`acknowledges and counts ${PRODUCTS} reviews of ${PRODUCTS} products, and the database still answers`, async () => {
    const { bus, topics } = await freshBus('widebatch');
    const database = await freshDatabase('applications');
    const insights = new InsightsRepository(database);
    const products = Array.from({ length: PRODUCTS }, (_, p) => productId(p));
    const events: PublishItem[] = products.map((product, i) => ({
      subject: topics.submitted,
      event: newEvent('review.submitted', 'tenant-a', { reviewId: `rev_${i.toString(16).padStart(24, '0')}`, productId: product, rating: 1 + (i % 5), text: 'The strap is soft', productCategory: 'sport-watch', title: null, locale: 'en-US', createdAt: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z` }),
    }));
    expect((await bus.publishMany(events)).failed).toEqual([]);

    const consumer = await startInsightsConsumer(bus, { insights, topics, log: silentLog });
    try {
      await eventually(async () => {
        const stats = await bus.consumerStats(topics.stream.name, APPLICATIONS_CONSUMER);
        return stats.pending === 0 && stats.ackPending === 0 ? stats : undefined;
      }, 40_000, 'every event acknowledged');
    } finally {
      // A batch that never settles would hold stop() until the handler timeout: do not wait for it here.
      await Promise.race([consumer.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    expect(consumer.processed).toBe(PRODUCTS);
    expect(consumer.deadLettered).toBe(0);

    const found = await insights.findByProductIds('tenant-a', products);
    expect(found.size).toBe(PRODUCTS);
    for (const [i, product] of products.entries()) expect(found.get(product), product).toMatchObject({ reviewCount: 1, ratingSum: 1 + (i % 5) });
    const month = await insights.findMonths('tenant-a', productId(PRODUCTS - 1), ['2026-03']);
    expect(Object.values(month.get('2026-03')?.days ?? {}).reduce((n, d) => n + d.count, 0)).toBe(1);
  }, 60_000);
});
