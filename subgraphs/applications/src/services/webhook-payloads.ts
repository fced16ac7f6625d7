import { z } from 'zod';
import type { EventEnvelope } from '../../../../lib/bus/index.js';
import { ALERT_RAISED, ALERT_RESOLVED, alertEventDataSchema } from '../events.js';
import type { WebhookEventType } from '../models/webhook.js';

const label = z.enum(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);
const ids = { reviewId: z.string().min(1).max(200), productId: z.string().min(1).max(200) };

const status = z.enum(['PUBLISHED', 'PENDING', 'REJECTED']);
const published = z.object({ ...ids, rating: z.number().nullable().optional(), title: z.string().nullish(), text: z.string().nullish(), locale: z.string().nullish(), createdAt: z.string().nullish(), source: z.string().optional() });

/**
 * What partners get of each event: the documented fields only, never whatever else a producer adds.
 * `skip` says when an event is not for partners: a review is delivered only once it is published.
 */
const payloads: Record<string, { type: WebhookEventType; schema: z.ZodType; gate?: z.ZodType; skip?: (gate: any) => boolean }> = {
  // A review stored as PUBLISHED (absent: an event from before moderation) is published at once; a held one is not.
  'review.submitted': { type: 'review.published', schema: published, gate: z.object({ status: status.optional() }), skip: (g) => (g.status ?? 'PUBLISHED') !== 'PUBLISHED' },
  // A moderator's change to PUBLISHED from another status is a publication; any other change is none.
  'review.moderated': {
    type: 'review.published', schema: published,
    gate: z.object({ status, previousStatus: status }),
    skip: (g) => g.status !== 'PUBLISHED' || g.previousStatus === 'PUBLISHED',
  },
  // Analysis says the review's status as it knew it: the analysis of a held review is not delivered.
  'review.analyzed': {
    type: 'review.analyzed',
    gate: z.object({ reviewStatus: status.optional() }),
    skip: (g) => (g.reviewStatus ?? 'PUBLISHED') !== 'PUBLISHED',
    schema: z.object({
      ...ids,
      revision: z.number().int().min(1),
      label: label.nullish(),
      modelVersion: z.string().nullish(),
      aspects: z.array(z.object({ aspect: z.string(), polarity: label, snippet: z.string().optional() })).default([]),
    }),
  },
  [ALERT_RAISED]: { type: 'alert.raised', schema: alertEventDataSchema },
  [ALERT_RESOLVED]: { type: 'alert.resolved', schema: alertEventDataSchema },
};

function parse(event: EventEnvelope<unknown>, schema: z.ZodType): unknown {
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) throw new Error(`${event.type} ${event.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** The webhook event type of a bus event and its partner payload (null: nothing to deliver); throws on a payload that does not fit its contract. */
export function webhookPayload(event: EventEnvelope<unknown>): { type: WebhookEventType; data: unknown } | null {
  const known = payloads[event.type];
  if (!known) return null;
  if (known.gate && known.skip?.(parse(event, known.gate))) return null;
  return { type: known.type, data: parse(event, known.schema) };
}
