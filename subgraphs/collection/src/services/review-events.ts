import { newEvent, type PublishItem } from '../../../../lib/bus/index.js';
import type { ProductDocument } from '../models/product.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import { REVIEW_SUBMITTED, submittedEventId, type ReviewDocument, type ReviewSubmittedData } from '../models/review.js';

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
  };
  return { subject: topics.submitted, event: newEvent(REVIEW_SUBMITTED, review.tenantId, data, { id: submittedEventId(review._id), requestId }) };
}
