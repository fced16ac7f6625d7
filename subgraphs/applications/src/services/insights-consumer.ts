import type { Bus, EventEnvelope, RunningConsumer } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import type { SentimentLabel } from '../models/insights.js';
import type { InsightsEffect, InsightsIncrements, InsightsRepository } from '../repositories/insights-repository.js';

export const APPLICATIONS_CONSUMER = 'applications';
const LABELS = new Set<unknown>(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);

type Effect = Omit<InsightsEffect, 'tenantId'>;

function record(event: EventEnvelope<unknown>): Record<string, unknown> {
  if (typeof event.data !== 'object' || event.data === null) throw new Error(`${event.type} ${event.id}: data is not an object`);
  return event.data as Record<string, unknown>;
}

/** What one review event changes in its product's insights, and the key that makes it count once. */
export function effectOf(event: EventEnvelope<unknown>): Effect | null {
  const subject = event.type;
  const data = record(event);
  const { reviewId, productId } = data;
  if (typeof reviewId !== 'string' || typeof productId !== 'string') throw new Error(`${subject} ${event.id}: lacks reviewId or productId`);
  if (subject === 'review.submitted') {
    const rating = data.rating;
    if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5) throw new Error(`${subject} ${event.id}: rating ${String(rating)} is not 1-5`);
    return { productId, key: `s:${reviewId}`, increments: { reviewCount: 1, ratingSum: rating as number, [`ratings.r${rating}`]: 1 } };
  }
  if (subject === 'review.deleted') {
    const rating = data.rating;
    if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5) throw new Error(`${subject} ${event.id}: rating ${String(rating)} is not 1-5`);
    return { productId, key: `d:${reviewId}`, increments: { reviewCount: -1, ratingSum: -(rating as number), [`ratings.r${rating}`]: -1 } };
  }
  if (subject === 'review.analyzed') {
    const label = LABELS.has(data.label) ? (data.label as SentimentLabel) : null;
    const previous = LABELS.has(data.previousLabel) ? (data.previousLabel as SentimentLabel) : null;
    if (!Number.isInteger(data.revision)) throw new Error(`${subject} ${event.id}: revision is not an integer`);
    const increments: InsightsIncrements = { analyzedCount: (label ? 1 : 0) - (previous ? 1 : 0) };
    if (label) increments[`sentiment.${label}`] = 1;
    if (previous) increments[`sentiment.${previous}`] = (increments[`sentiment.${previous}`] ?? 0) - 1;
    return { productId, key: `a:${reviewId}:${data.revision}`, increments };
  }
  return null;
}

/** Keeps product insights current from review events, through the `applications` durable consumer. */
export function startInsightsConsumer(bus: Bus, deps: { insights: InsightsRepository; topics: ReviewTopics; log: Logger }, opts: { maxDeliver?: number; ackWaitMs?: number; backoffMs?: number[] } = {}): Promise<RunningConsumer> {
  return bus.consume<unknown>({
    stream: deps.topics.stream.name,
    durable: APPLICATIONS_CONSUMER,
    filterSubjects: [deps.topics.submitted, deps.topics.analyzed, deps.topics.deleted],
    maxDeliver: opts.maxDeliver,
    ackWaitMs: opts.ackWaitMs,
    backoffMs: opts.backoffMs,
    maxMessages: 128,
    batch: {
      size: 128,
      async handler(items) {
        const results: Array<void | Error> = items.map(() => undefined);
        const effects: Array<{ index: number; effect: InsightsEffect }> = [];
        items.forEach(({ event }, index) => {
          try {
            const effect = effectOf(event);
            if (effect) effects.push({ index, effect: { tenantId: event.tenantId, ...effect } });
          } catch (error) {
            results[index] = error as Error;
          }
        });
        try {
          const applied = await deps.insights.applyEffects(effects.map((e) => e.effect));
          const repeats = applied.filter((a) => !a).length;
          if (repeats > 0) deps.log.debug({ repeats }, 'events already counted');
        } catch (error) {
          for (const { index } of effects) results[index] = error as Error;
        }
        return results;
      },
    },
  });
}
