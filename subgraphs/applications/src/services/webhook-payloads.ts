import { z } from 'zod';
import type { EventEnvelope } from '../../../../lib/bus/index.js';
import { ALERT_RAISED, ALERT_RESOLVED, alertEventDataSchema } from '../events.js';
import type { WebhookEventType } from '../models/webhook.js';

const label = z.enum(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);
const ids = { reviewId: z.string().min(1).max(200), productId: z.string().min(1).max(200) };

/** What partners get of each event: the documented fields only, never whatever else a producer adds. */
const payloads: Record<string, { type: WebhookEventType; schema: z.ZodType }> = {
  'review.submitted': {
    type: 'review.published',
    schema: z.object({ ...ids, rating: z.number().nullable().optional(), title: z.string().nullish(), text: z.string().nullish(), locale: z.string().nullish(), createdAt: z.string().nullish(), source: z.string().optional() }),
  },
  'review.analyzed': {
    type: 'review.analyzed',
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

/** The webhook event type of a bus event and its partner payload; throws on a payload that does not fit its contract. */
export function webhookPayload(event: EventEnvelope<unknown>): { type: WebhookEventType; data: unknown } | null {
  const known = payloads[event.type];
  if (!known) return null;
  const parsed = known.schema.safeParse(event.data);
  if (!parsed.success) throw new Error(`${event.type} ${event.id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}`);
  return { type: known.type, data: parsed.data };
}
