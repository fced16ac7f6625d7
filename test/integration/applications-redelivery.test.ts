import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { ensureConsumer } from '../../lib/bus/consumer.js';
import { newEvent, type PublishItem } from '../../lib/bus/index.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { APPLICATIONS_CONSUMER, startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { eventually, freshBus, freshDatabase, silentLog } from '../support/fixtures.js';

const ACK_WAIT_MS = 1_000;
const DEATHS = 7;

describe('insights consumer after processes died holding its messages', () => {
  it(`counts every review once when each event was delivered ${DEATHS} times to processes that died before acking`, async () => {
    const { bus, topics } = await freshBus('redeliver');
    const insights = new InsightsRepository(await freshDatabase('applications'));
    const product = 'prd_eeeeeeeeeeeeeeeeeeeeeeee';
    const events: PublishItem[] = Array.from({ length: 10 }, (_, i) => [
      { subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { reviewId: `rev_${i}`, productId: product, rating: 1 + (i % 5), text: 't', productCategory: null, title: null, locale: null, createdAt: '2026-03-01T10:00:00.000Z' }) },
      { subject: topics.analyzed, event: newEvent('review.analyzed', 'tenant-a', { reviewId: `rev_${i}`, productId: product, status: 'DONE', label: 'POSITIVE', previousLabel: null, revision: 1, modelVersion: 'm1', aspects: [] }) },
    ]).flat();
    const settings = { stream: topics.stream.name, durable: APPLICATIONS_CONSUMER, filterSubjects: [topics.submitted, topics.analyzed, topics.deleted], ackWaitMs: ACK_WAIT_MS };
    await ensureConsumer(await jetstreamManager(bus.connection), settings);
    expect((await bus.publishMany(events)).failed).toEqual([]);

    // Each round is a consumer process that took the whole backlog and was killed before acking any of it.
    const durable = await jetstream(bus.connection).consumers.get(topics.stream.name, APPLICATIONS_CONSUMER);
    for (let death = 1; death <= DEATHS; death++) {
      const taken: number[] = [];
      for await (const m of await durable.fetch({ max_messages: events.length, expires: 3 * ACK_WAIT_MS })) {
        taken.push(m.info.deliveryCount);
        if (taken.length === events.length) break;
      }
      expect(taken, `delivery ${death}`).toEqual(events.map(() => death));
      await new Promise((resolve) => setTimeout(resolve, ACK_WAIT_MS + 300));
    }

    // The next process, with the default handler attempts, finishes the work instead of dead-lettering it.
    const consumer = await startInsightsConsumer(bus, { insights, topics, log: silentLog }, { ackWaitMs: ACK_WAIT_MS, backoffMs: [100] });
    try {
      await eventually(async () => {
        const stats = await bus.consumerStats(topics.stream.name, APPLICATIONS_CONSUMER);
        return stats.pending === 0 && stats.ackPending === 0 ? stats : undefined;
      }, 20_000, 'every event acknowledged');
    } finally {
      await consumer.stop();
    }
    const letters = await bus.deadLetters(topics.stream.name, { durable: APPLICATIONS_CONSUMER });
    expect(letters.map((l) => l.reason)).toEqual([]);
    expect((await bus.consumerStats(topics.stream.name, APPLICATIONS_CONSUMER)).deadLetters).toBe(0);
    expect(consumer.processed).toBe(events.length);
    const counted = (await insights.findByProductIds('tenant-a', [product])).get(product);
    expect(counted).toMatchObject({ reviewCount: 10, ratingSum: 30, analyzedCount: 10, sentiment: { POSITIVE: 10, NEUTRAL: 0, NEGATIVE: 0 } });
  }, 60_000);
});
