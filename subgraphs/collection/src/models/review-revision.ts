import type { ReviewDocument } from './review.js';

/** What an edit can change; the rest of a review (product, source, externalId, ids) is its identity. */
export const EDITABLE_FIELDS = ['rating', 'title', 'text', 'author', 'locale', 'createdAt'] as const;

export type ReviewContent = Pick<ReviewDocument, (typeof EDITABLE_FIELDS)[number]>;

/**
 * Revision `revision` (2 and up) of a review, insert-only under `<review id>:<revision>`: the unique
 * `_id` lets exactly one edit make each revision, where FerretDB would let two version-checked
 * updates of the review both succeed. The review document is then brought up to the latest revision.
 */
export interface ReviewRevisionDocument {
  _id: string;
  tenantId: string;
  reviewId: string;
  revision: number;
  content: ReviewContent;
  editedAt: Date;
}

export const REVIEW_UPDATED = 'review.updated';

export function revisionId(reviewId: string, revision: number): string {
  return `${reviewId}:${String(revision).padStart(6, '0')}`;
}

/** One event per (review, revision): an edit republished after a crash is deduplicated by the bus. */
export function updatedEventId(reviewId: string, revision: number): string {
  return `${REVIEW_UPDATED}:${reviewId}:${revision}`;
}

/** A review's revision: 1 until its first edit. */
export function revisionOf(review: Pick<ReviewDocument, 'revision'>): number {
  return review.revision ?? 1;
}

export function contentOf(review: ReviewContent): ReviewContent {
  return { rating: review.rating, title: review.title, text: review.text, author: review.author, locale: review.locale, createdAt: review.createdAt };
}

export function sameContent(a: ReviewContent, b: ReviewContent): boolean {
  return EDITABLE_FIELDS.every((field) => (field === 'createdAt' ? a.createdAt.getTime() === b.createdAt.getTime() : a[field] === b[field]));
}
