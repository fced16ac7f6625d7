import { createHash } from 'node:crypto';

export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

/**
 * One document per product under a deterministic id, maintained from events with `$inc`.
 * `appliedEvents` holds the effect keys already counted, so the guard and the increment are one
 * atomic single-document update: a redelivered event matches nothing and changes nothing.
 */
export interface InsightsDocument {
  _id: string;
  tenantId: string;
  productId: string;
  reviewCount: number;
  ratingSum: number;
  ratings: { r1: number; r2: number; r3: number; r4: number; r5: number };
  sentiment: { POSITIVE: number; NEUTRAL: number; NEGATIVE: number };
  analyzedCount: number;
  appliedEvents: string[];
  updatedAt: Date;
}

/** `_id` of a product's insights document. */
export function insightsId(tenantId: string, productId: string): string {
  return `ins_${createHash('sha256').update(`${tenantId}\u0000${productId}`).digest('hex').slice(0, 24)}`;
}
