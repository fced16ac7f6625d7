/** A review's moderation status as collection announces it on the bus (analysis never reads collection's store). */
export type ReviewStatus = 'PUBLISHED' | 'PENDING' | 'REJECTED';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['PUBLISHED', 'PENDING', 'REJECTED'];

/**
 * What analysis knows of a review's status: from `review.submitted` (moderation 0) and from each
 * `review.moderated` (numbered 1, 2, …); a lower number never overwrites a higher one, so a late
 * event for an older change is ignored. No document: a review from before moderation, published.
 */
export interface ReviewVisibilityDocument {
  /** The review id. */
  _id: string;
  tenantId: string;
  status: ReviewStatus;
  moderation: number;
}

export interface StatusChange {
  reviewId: string; tenantId: string; status: ReviewStatus; moderation: number;
  /** The status the change replaced (absent: not announced, e.g. the status a review was submitted with). */
  previousStatus?: ReviewStatus;
}

/** Keys that may write or moderate see held reviews, as collection's lists show them; keys that may only read see published ones. */
export function seesHeldReviews(scopes: readonly string[]): boolean {
  return scopes.includes('write') || scopes.includes('moderate');
}
