import { createHash } from 'node:crypto';
import type { SentimentLabel } from './insights.js';

/** One aspect mention of a review's current analysis, as `review.analyzed` carried it. */
export interface MentionFact {
  aspect: string;
  polarity: SentimentLabel;
  /** The analyser's confidence in the mention's polarity; 0 when the event did not say. */
  score: number;
  snippet: string;
  start: number;
  end: number;
}

/** What applications knows of one review, from its events alone. */
export interface ReviewFacts {
  /** `revision`: the review's edit these facts come from (absent: 1, never edited). */
  submitted: { rating: number; createdAt: string; locale: string | null; revision?: number; source?: string } | null;
  analysis: { revision: number; label: SentimentLabel | null; aspects: MentionFact[] } | null;
  deleted: boolean;
  /**
   * The review's moderation status and how many status changes it comes from (0: the submission's);
   * absent for reviews from before moderation: published.
   */
  moderation?: { status: 'PUBLISHED' | 'PENDING' | 'REJECTED'; seq: number } | null;
}

/** The part of a review that insights count: null while it is not submitted, not published, or once deleted. */
export type CountedReview = { reviewId: string; submitted: NonNullable<ReviewFacts['submitted']>; analysis: ReviewFacts['analysis'] };

/** A change of what a review contributes (from, to), keyed by the review state version that made it. */
export interface ReviewChange { key: string; from: CountedReview | null; to: CountedReview | null }

/**
 * One version of what applications knows of a review. Versions are insert-only (`<state id>:<version>`):
 * the unique `_id` lets exactly one writer make each version, which FerretDB guarantees where it
 * does not make a version-checked update atomic. `change` is what this version changed in the
 * review's contribution (null: nothing counted changed).
 */
export interface ReviewStateDocument extends ReviewFacts {
  _id: string;
  stateId: string;
  tenantId: string;
  productId: string;
  reviewId: string;
  version: number;
  change: ReviewChange | null;
}

/** A marker that a version's change reached every aggregate (insert-only, same `_id` as the version). */
export interface AppliedMarker { _id: string; tenantId: string }

export function stateVersionId(stateId: string, version: number): string {
  return `${stateId}:${String(version).padStart(6, '0')}`;
}

/** `_id` of a review's state: its product's hash first, so one product's reviews are one `_id` range. */
export function reviewStateId(tenantId: string, productId: string, reviewId: string): string {
  return `${productPrefix(tenantId, productId)}${createHash('sha256').update(reviewId).digest('hex').slice(0, 24)}`;
}

/** The `_id` prefix shared by one product's review states. */
export function productPrefix(tenantId: string, productId: string): string {
  return `rs_${createHash('sha256').update(`${tenantId}\u0000${productId}`).digest('hex').slice(0, 24)}_`;
}

export function countedReview(reviewId: string, facts: ReviewFacts): CountedReview | null {
  if (facts.deleted || !facts.submitted) return null;
  // Only published reviews are counted: a held or rejected one contributes nothing until published.
  if ((facts.moderation?.status ?? 'PUBLISHED') !== 'PUBLISHED') return null;
  // An edit that changed nothing counted (text only) changes no contribution: the revision is left out.
  const { revision: _revision, ...submitted } = facts.submitted;
  return { reviewId, submitted, analysis: facts.analysis };
}
