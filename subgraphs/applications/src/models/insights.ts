import { createHash } from 'node:crypto';

export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

/**
 * One document per product under a deterministic id, maintained from events. Each applied event's
 * effect key also goes to a ledger, written after the counts; `recentEffects` (the last few keys,
 * written in the same single-document update as the counts) covers a crash between the two.
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
  recentEffects: string[];
  version: number;
  updatedAt: Date;
}

/** `_id` of a product's insights document. */
export function insightsId(tenantId: string, productId: string): string {
  return `ins_${createHash('sha256').update(`${tenantId}\u0000${productId}`).digest('hex').slice(0, 24)}`;
}
