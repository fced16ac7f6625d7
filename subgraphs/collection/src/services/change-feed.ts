import { decodeListCursor, encodeListCursor } from '../../../../lib/list-cursor.js';
import { BadUserInputError } from '../../../../lib/errors.js';
import { CHANGE_FEED_ORDER, changeFeedPrefix, type ReviewChange, type ReviewChangeNode } from '../models/review-change.js';
import type { ReviewDocument } from '../models/review.js';
import type { CollectionServices } from './collection-services.js';

/**
 * Records what happened to reviews in the tenant's change feed. Called after the change is stored
 * and before its event's outbox entry is removed, so a crash in between is recorded by the sweeper
 * (a change may so appear twice, never not at all).
 */
export async function recordChanges(deps: Pick<CollectionServices, 'changes'>, tenantId: string, changes: readonly ReviewChange[], now = new Date()): Promise<void> {
  if (changes.length > 0) await deps.changes.append(tenantId, changes, now);
}

export interface ChangeFeedPage {
  edges: Array<{ cursor: string; node: ReviewChangeNode }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The feed's cursor, refused with a specific message when it is forged, truncated or another tenant's. */
export function decodeChangeCursor(tenantId: string, after: string | null | undefined): string | null {
  try {
    return decodeListCursor(changeFeedPrefix(tenantId), CHANGE_FEED_ORDER, after);
  } catch (error) {
    if (!(error instanceof BadUserInputError)) throw error;
    throw new BadUserInputError('after is not a cursor of your change feed (it is malformed, cut short, or from another tenant or list); start again without after or with the last endCursor you were given', { argument: 'after' });
  }
}

/**
 * A page of the tenant's change feed after `afterKey`: one range read of the entries and one `_id`
 * read of their reviews. Each change shows its review as it is now (null once deleted), so a client
 * that applies the changes in order, from the start or from any cursor it was given, ends with the
 * store's current reviews. A review the caller may not see (held by moderation, for a read-only key)
 * shows as null like a deleted one, so such a client's copy is the published reviews.
 */
export async function readChanges(deps: Pick<CollectionServices, 'changes' | 'reviews'>, tenantId: string, afterKey: string | null, first: number, visible: (review: ReviewDocument) => boolean = () => true): Promise<ChangeFeedPage> {
  const prefix = changeFeedPrefix(tenantId);
  const sameCursor = afterKey === null ? null : encodeListCursor(prefix, CHANGE_FEED_ORDER, afterKey);
  if (first === 0) return { edges: [], pageInfo: { hasNextPage: false, endCursor: sameCursor } };
  const fetched = await deps.changes.page(tenantId, afterKey, first + 1);
  const entries = fetched.slice(0, first);
  const reviews = await deps.reviews.findByIds(tenantId, entries.map((e) => e.reviewId));
  const edges = entries.map((entry) => ({ cursor: encodeListCursor(prefix, CHANGE_FEED_ORDER, entry._id), node: { ...entry, review: visibleReview(reviews.get(entry.reviewId), visible) } }));
  // An empty page keeps the cursor it was asked with, so a poller can always send back endCursor.
  return { edges, pageInfo: { hasNextPage: fetched.length > first, endCursor: edges.at(-1)?.cursor ?? sameCursor } };
}

function visibleReview(review: ReviewDocument | undefined, visible: (review: ReviewDocument) => boolean): ReviewDocument | null {
  return review && visible(review) ? review : null;
}
