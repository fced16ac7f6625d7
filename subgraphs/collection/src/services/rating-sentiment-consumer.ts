import { z } from 'zod';
import type { Bus, EventEnvelope, RunningConsumer } from '../../../../lib/bus/index.js';
import type { CollectionServices } from './collection-services.js';
import { applySentimentResults, type SentimentResult } from './moderation.js';

/** The collection's durable consumer of the review stream (analysis results only). */
export const COLLECTION_CONSUMER = 'collection';

const label = z.enum(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);

/**
 * What collection reads of `review.analyzed` (analysis' ReviewAnalyzedData). Events from before the
 * score and the review revision were carried say nothing collection can use: they are acknowledged.
 */
const analyzedSchema = z.object({
  reviewId: z.string().min(1).max(200),
  productId: z.string().min(1).max(200),
  status: z.string().min(1).max(40),
  revision: z.number().int().min(1),
  reviewRevision: z.number().int().min(1).optional(),
  label: label.nullish(),
  score: z.number().finite().min(-1).max(1).nullish(),
});

/** A result to apply, null for one that tells nothing (not a finished analysis, or from before revisions were carried), or an Error for a malformed event. */
export function sentimentResultOf(event: EventEnvelope<unknown>): SentimentResult | null | Error {
  const parsed = analyzedSchema.safeParse(event.data);
  if (!parsed.success) return new Error(`${event.type} ${event.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}`);
  const data = parsed.data;
  if (data.reviewRevision === undefined) return null;
  // A result without sentiment (unsupported language, no text, failed, deleted) still moves the
  // review's check forward: its earlier result of the same revision no longer holds.
  const done = data.status === 'DONE';
  return { reviewId: data.reviewId, reviewRevision: data.reviewRevision, analysis: data.revision, label: done ? data.label ?? null : null, score: done ? data.score ?? null : null };
}

/**
 * Applies `review.analyzed` to the reviews' RATING_CONTRADICTS_SENTIMENT signal (and the policy's
 * hold) in batches, one tenant at a time. Exactly once in effect: a result is applied only when it is
 * newer than the review's last one (services/moderation.ts applySentimentResults), a status change's
 * event id is fixed per change, and a redelivery after a crash finds what was done. A malformed event
 * fails its item (retried, then dead-lettered); a database that cannot be reached fails the batch
 * with the driver's error, which the consumer keeps and retries without counting it.
 */
export function startRatingSentimentConsumer(bus: Bus, services: CollectionServices, opts: { maxDeliver?: number; backoffMs?: number[]; ackWaitMs?: number } = {}): Promise<RunningConsumer> {
  return bus.consume<unknown>({
    stream: services.topics.stream.name,
    durable: COLLECTION_CONSUMER,
    filterSubjects: [services.topics.analyzed],
    maxDeliver: opts.maxDeliver,
    backoffMs: opts.backoffMs,
    ackWaitMs: opts.ackWaitMs,
    maxMessages: 128,
    batch: {
      size: 128,
      async handler(items) {
        const outcomes: Array<void | Error> = items.map(() => undefined);
        const byTenant = new Map<string, SentimentResult[]>();
        items.forEach((item, i) => {
          const result = sentimentResultOf(item.event);
          if (result instanceof Error) outcomes[i] = result;
          else if (result !== null) byTenant.set(item.event.tenantId, [...(byTenant.get(item.event.tenantId) ?? []), result]);
        });
        for (const [tenantId, results] of byTenant) {
          const { held } = await applySentimentResults(services, tenantId, results);
          if (held > 0) services.log.info({ tenantId, held }, 'reviews held: their rating contradicts their analysed sentiment');
        }
        return outcomes;
      },
    },
  });
}
