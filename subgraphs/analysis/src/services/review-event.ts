import type { EventEnvelope } from '../../../../lib/bus/index.js';
import type { ReviewToAnalyse } from '../models/analysis.js';

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || v === undefined || typeof v === 'string';

/** Reads a `review.submitted` (or re-analysis request) payload; throws on a malformed one so it ends in the dead-letter stream. */
export function reviewToAnalyse(event: EventEnvelope<unknown>): ReviewToAnalyse {
  const data = event.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null) throw new Error('event data is not an object');
  const { reviewId, productId, productCategory, text, locale, createdAt, revision } = data;
  if (revision !== undefined && !(Number.isInteger(revision) && (revision as number) >= 1)) throw new Error(`event for ${String(reviewId)} has a malformed revision`);
  if (!isString(reviewId) || !isString(productId)) throw new Error('event data lacks reviewId or productId');
  if (!isString(text)) throw new Error(`event for ${reviewId} carries no text`);
  if (!isNullableString(productCategory) || !isNullableString(locale) || !isNullableString(createdAt)) {
    throw new Error(`event for ${reviewId} has a malformed optional field`);
  }
  return {
    reviewId,
    tenantId: event.tenantId,
    productId,
    productCategory: productCategory ?? null,
    text,
    locale: locale ?? null,
    createdAt: createdAt ?? event.occurredAt,
    ...(revision === undefined ? {} : { revision: revision as number }),
  };
}

export interface ReviewDeleted { reviewId: string; tenantId: string; productId: string }

/** Reads a `review.deleted` payload; throws on a malformed one so it ends in the dead-letter stream. */
export function reviewDeleted(event: EventEnvelope<unknown>): ReviewDeleted {
  const data = event.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || !isString(data.reviewId) || !isString(data.productId)) throw new Error('review.deleted lacks reviewId or productId');
  return { reviewId: data.reviewId, tenantId: event.tenantId, productId: data.productId };
}
