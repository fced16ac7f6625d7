import type { ReviewSignal, ReviewStatus, SentimentCheck } from './moderation.js';
import { createHash, randomBytes } from 'node:crypto';

export interface ReviewDocument {
  _id: string;
  tenantId: string;
  productId: string;
  rating: number;
  title: string | null;
  text: string;
  author: string | null;
  locale: string | null;
  createdAt: Date;
  receivedAt: Date;
  source: string;
  externalId: string | null;
  /** The name of the source a syndicated review was first published on (absent: not syndicated). */
  syndicatedFrom?: string | null;
  /** Moderation (models/moderation.ts); absent on reviews stored before it: PUBLISHED, no signals. */
  status?: ReviewStatus;
  signals?: ReviewSignal[];
  moderationReason?: string | null;
  /** Status changes so far (absent: none). */
  moderation?: number;
  moderatedAt?: Date;
  /** The newest analysis result applied to the review (absent: none yet); see signalsOf. */
  sentimentCheck?: SentimentCheck;
  /** Deletions of this source + externalId before this review was stored (absent: none); see reviewIdFor. */
  incarnation?: number;
  /** Bumped by every edit (absent: 1, never edited); see models/review-revision.ts. */
  revision?: number;
  /** When the last edit was stored (absent: never edited). */
  updatedAt?: Date;
}

export const REVIEW_ID_PATTERN = /^rev_[0-9a-f]{24}$/;

/**
 * Reviews with an external id get a deterministic id, so a partner's retry finds the stored review
 * instead of a twin. Once deleted, the same source + externalId comes back as a new incarnation
 * with its own id: events and downstream state of the deleted one can never be mistaken for it.
 */
export function reviewIdFor(tenantId: string, source: string, externalId: string | null, incarnation = 0): string {
  if (externalId === null) return `rev_${randomBytes(12).toString('hex')}`;
  const key = incarnation === 0 ? `${tenantId}\u0000${source}\u0000${externalId}` : `${tenantId}\u0000${source}\u0000${externalId}\u0000${incarnation}`;
  return `rev_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/** What the `review.submitted` event carries to the services downstream. */
export interface ReviewSubmittedData {
  reviewId: string;
  productId: string;
  productCategory: string | null;
  rating: number;
  title: string | null;
  text: string;
  locale: string | null;
  createdAt: string;
  /** The revision of the review this content is (absent: 1); a republished event carries the latest. */
  revision?: number;
  /** The name of the review's source (a Source of the tenant), e.g. partner:acme; absent on events published before sources existed. */
  source?: string;
  /** PENDING or REJECTED reviews are not counted in insights until published (absent: PUBLISHED). */
  status?: ReviewStatus;
}

export const REVIEW_SUBMITTED = 'review.submitted';
export const REVIEW_DELETED = 'review.deleted';

/** What `review.deleted` tells downstream services so they can take the review out of what they derived. */
export interface ReviewDeletedData { reviewId: string; productId: string; rating: number }

/** One event per review, its id fixed by the review id: a republished event is deduplicated by the bus. */
export function submittedEventId(reviewId: string): string {
  return `${REVIEW_SUBMITTED}:${reviewId}`;
}
