import { BadUserInputError } from '../../../../lib/errors.js';
import { fingerprintId } from '../models/moderation.js';
import { REVIEW_ID_PATTERN, reviewIdFor, type ReviewDocument } from '../models/review.js';
import { recordChanges } from './change-feed.js';
import type { CollectionServices } from './collection-services.js';
import { deletedEvent } from './review-events.js';

export const MAX_DELETE_BATCH = 100;

/**
 * Deletes stored reviews, recording each one's tombstone first: a resubmission must never reuse the
 * id of an incarnation that is deleted downstream.
 */
export async function removeReviews(deps: CollectionServices, tenantId: string, reviews: readonly ReviewDocument[], now: Date): Promise<void> {
  const tombstones = reviews.flatMap((r) => (r.externalId === null ? [] : [{ baseId: reviewIdFor(tenantId, r.source, r.externalId), incarnation: r.incarnation ?? 0 }]));
  await deps.tombstones.recordDeletions(tenantId, tombstones, now);
  await deps.reviews.deleteByIds(tenantId, reviews.map((r) => r._id));
  await deps.revisions.removeAll(tenantId, reviews);
  // After the review: a moderation that reads it from now on finds nothing to change.
  await deps.moderation.removeStatusChanges(tenantId, reviews.map((r) => r._id));
  await deps.moderation.releaseFingerprints(tenantId, reviews.map((r) => ({ id: fingerprintId(tenantId, r.productId, r.text), reviewId: r._id })));
  await recordChanges(deps, tenantId, reviews.map((r) => ({ kind: 'DELETED' as const, reviewId: r._id, productId: r.productId, revision: null })), now);
}

export interface DeleteResult { deleted: string[]; notFound: string[]; pending: string[] }

/**
 * Deletes reviews and tells downstream services, so analyses, mentions and insights drop them too.
 * The deletion event goes to the outbox before the review is deleted, and carries what downstream
 * needs, so the sweeper can publish it even though the review is gone.
 */
export async function deleteReviews(deps: CollectionServices, tenantId: string, ids: readonly string[], requestId?: string, now = new Date()): Promise<DeleteResult> {
  if (ids.length > MAX_DELETE_BATCH) throw new BadUserInputError(`deleteReviews takes at most ${MAX_DELETE_BATCH} ids per call; got ${ids.length}`);
  const malformed = ids.find((id) => !REVIEW_ID_PATTERN.test(id));
  if (malformed !== undefined) throw new BadUserInputError(`"${malformed.slice(0, 40)}" is not a review id (rev_ followed by 24 hex digits)`, { field: 'ids' });
  const found = await deps.reviews.findByIds(tenantId, ids);
  const reviews = [...found.values()];
  const events = reviews.map((review) => deletedEvent(deps.topics, review, requestId));
  await deps.outbox.add(events.map((item, i) => ({ _id: item.event.id, tenantId, reviewId: reviews[i]!._id, createdAt: now, event: item })));
  await removeReviews(deps, tenantId, reviews, now);
  const { published } = await deps.publisher.publishMany(events);
  await deps.outbox.remove(published);
  const publishedIds = new Set(published);
  return {
    deleted: reviews.filter((_, i) => publishedIds.has(events[i]!.event.id)).map((r) => r._id),
    pending: reviews.filter((_, i) => !publishedIds.has(events[i]!.event.id)).map((r) => r._id),
    notFound: [...new Set(ids)].filter((id) => !found.has(id)),
  };
}
