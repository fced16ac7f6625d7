import { digitsPart, listKey, textPart } from '../../../../lib/list-key.js';
import type { ReviewStatus } from './moderation.js';

/**
 * One status change of a review, insert-only, keyed by the review and the change's number
 * (`moderation` on the review document): the unique `_id` lets exactly one writer make change N of a
 * review, so two simultaneous changes never share an event id, and the loser tries after the winner.
 * The review document's status fields follow the newest change; a change whose writer died before
 * publishing is finished by the next writer. It holds no words of the review, so deleting a review
 * erases none here.
 */
export interface StatusChangeDocument {
  _id: string;
  tenantId: string;
  reviewId: string;
  moderation: number;
  status: ReviewStatus;
  previousStatus: ReviewStatus;
  reason: string | null;
  at: Date;
  /** Random per writer: tells this writer's own insert, retried after an unclear failure, from another's. */
  claim: string;
}

const MODERATION_DIGITS = 9;

/** The prefix of every status change of one review: they are one `_id` range. */
export function statusChangesPrefix(tenantId: string, reviewId: string): string {
  return listKey('sc', textPart(tenantId), textPart(reviewId));
}

export function statusChangeId(tenantId: string, reviewId: string, moderation: number): string {
  return listKey(statusChangesPrefix(tenantId, reviewId), digitsPart(moderation, MODERATION_DIGITS));
}
