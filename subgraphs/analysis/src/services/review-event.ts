import type { EventEnvelope } from '../../../../lib/bus/index.js';
import type { ReviewToAnalyse } from '../models/analysis.js';
import { REVIEW_STATUSES, type ReviewStatus, type StatusChange } from '../models/review-visibility.js';

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || v === undefined || typeof v === 'string';

/** Reads a `review.submitted` (or re-analysis request) payload; throws on a malformed one so it ends in the dead-letter stream. */
export function reviewToAnalyse(event: EventEnvelope<unknown>): ReviewToAnalyse {
  const data = event.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null) throw new Error('event data is not an object');
  const { reviewId, productId, productCategory, text, locale, createdAt, revision, status } = data;
  if (status !== undefined && !isStatus(status)) throw new Error(`event for ${String(reviewId)} has a malformed status`);
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
    ...(status === undefined ? {} : { status }),
  };
}

const isStatus = (v: unknown): v is ReviewStatus => typeof v === 'string' && (REVIEW_STATUSES as readonly string[]).includes(v);

/** Reads a `review.moderated` payload (its new status and the change's number); throws on a malformed one so it ends in the dead-letter stream. */
export function reviewModerated(event: EventEnvelope<unknown>): StatusChange {
  const data = event.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || !isString(data.reviewId)) throw new Error('review.moderated lacks reviewId');
  if (!isStatus(data.status)) throw new Error(`review.moderated for ${data.reviewId} has a malformed status`);
  if (!(Number.isInteger(data.moderation) && (data.moderation as number) >= 1)) throw new Error(`review.moderated for ${data.reviewId} has a malformed moderation number`);
  if (data.previousStatus !== undefined && !isStatus(data.previousStatus)) throw new Error(`review.moderated for ${data.reviewId} has a malformed previousStatus`);
  return { reviewId: data.reviewId, tenantId: event.tenantId, status: data.status, moderation: data.moderation as number, ...(data.previousStatus === undefined ? {} : { previousStatus: data.previousStatus }) };
}

export interface ReviewDeleted { reviewId: string; tenantId: string; productId: string }

/** Reads a `review.deleted` payload; throws on a malformed one so it ends in the dead-letter stream. */
export function reviewDeleted(event: EventEnvelope<unknown>): ReviewDeleted {
  const data = event.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null || !isString(data.reviewId) || !isString(data.productId)) throw new Error('review.deleted lacks reviewId or productId');
  return { reviewId: data.reviewId, tenantId: event.tenantId, productId: data.productId };
}
