import { digitsPart, listKey, textPart } from '../../../../lib/list-key.js';
import type { ReviewDocument } from './review.js';

/**
 * What a change-feed entry says happened to a review. STATUS_CHANGED is kept for moderation: a status
 * change records one through the same `recordChanges` as the others.
 */
export type ReviewChangeKind = 'CREATED' | 'UPDATED' | 'STATUS_CHANGED' | 'DELETED';

/**
 * One entry of a tenant's change feed, keyed `rc|<tenant>|<sequence>`. The sequence is allocated by
 * the insert itself (the next number after the newest visible entry; a unique `_id` lets one writer
 * have it), so an entry is only ever written after every lower one is visible, and a reader that
 * returned a cursor never meets a new entry before it.
 */
export interface ReviewChangeDocument {
  _id: string;
  tenantId: string;
  seq: number;
  kind: ReviewChangeKind;
  reviewId: string;
  productId: string;
  /** The review's revision the change made (null for a deletion). */
  revision: number | null;
  at: Date;
}

export type ReviewChange = Pick<ReviewChangeDocument, 'kind' | 'reviewId' | 'productId' | 'revision'>;

const SEQ_DIGITS = 15;

/** The prefix of a tenant's change feed: a list in lib/list-key.ts terms. */
export function changeFeedPrefix(tenantId: string): string {
  return listKey('rc', textPart(tenantId));
}

export function changeKey(tenantId: string, seq: number): string {
  return listKey(changeFeedPrefix(tenantId), digitsPart(seq, SEQ_DIGITS));
}

/** What a feed cursor is bound to besides the tenant (lib/list-cursor.ts). */
export const CHANGE_FEED_ORDER = 'CHANGES';

/** A change as the feed serves it: the entry, with its review as it is now (null once deleted). */
export type ReviewChangeNode = ReviewChangeDocument & { review: ReviewDocument | null };
