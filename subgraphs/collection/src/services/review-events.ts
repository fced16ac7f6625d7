import { newEvent, type PublishItem } from '../../../../lib/bus/index.js';
import { statusOf } from '../models/moderation.js';
import type { ProductDocument } from '../models/product.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import { REVIEW_UPDATED, updatedEventId } from '../models/review-revision.js';
import { REVIEW_DELETED, REVIEW_SUBMITTED, submittedEventId, type ReviewDeletedData, type ReviewDocument, type ReviewSubmittedData } from '../models/review.js';

/** The `review.submitted` event of a stored review. */
export function submittedEvent(topics: ReviewTopics, review: ReviewDocument, product: ProductDocument | undefined, requestId?: string): PublishItem {
  const data: ReviewSubmittedData = {
    reviewId: review._id,
    productId: review.productId,
    productCategory: product?.category ?? null,
    rating: review.rating,
    title: review.title,
    text: review.text,
    locale: review.locale,
    createdAt: review.createdAt.toISOString(),
    revision: review.revision ?? 1,
    source: review.source,
    status: statusOf(review),
  };
  return { subject: topics.submitted, event: newEvent(REVIEW_SUBMITTED, review.tenantId, data, { id: submittedEventId(review._id), requestId }) };
}

/**
 * The `review.updated` event of an edit: what `review.submitted` carries, at the edit's revision, so
 * analysis re-analyses the new text and insights move the review between buckets.
 */
export function updatedEvent(topics: ReviewTopics, review: ReviewDocument, product: ProductDocument | undefined, requestId?: string): PublishItem {
  const { event } = submittedEvent(topics, review, product, requestId);
  const revision = review.revision ?? 1;
  return { subject: topics.updated, event: { ...event, type: REVIEW_UPDATED, id: updatedEventId(review._id, revision) } };
}

/** The `review.deleted` event of a review, its id fixed per review. */
export function deletedEvent(topics: ReviewTopics, review: ReviewDocument, requestId?: string): PublishItem {
  const data: ReviewDeletedData = { reviewId: review._id, productId: review.productId, rating: review.rating };
  return { subject: topics.deleted, event: newEvent(REVIEW_DELETED, review.tenantId, data, { id: `${REVIEW_DELETED}:${review._id}`, requestId }) };
}
