import type { ListEntryDocument } from '../../../../lib/list-entries.js';
import { digitsPart, listKey, textPart, timePart, type ListDirection } from '../../../../lib/list-key.js';
import type { ProductDocument } from './product.js';
import type { ReviewDocument } from './review.js';

/**
 * The collection subgraph's keyed lists (lib/list-key.ts), all in the `list_entries` collection:
 * - `rt|tenant|product|createdAt|review`: a product's reviews by time (newest first reads it backwards);
 * - `rr|tenant|product|rating|createdAt|review`: by rating, then time; one rating is a sub-list;
 * - `pr|tenant|product`: a tenant's products, in id order.
 */

export type ReviewOrder = 'NEWEST' | 'OLDEST' | 'HIGHEST_RATING' | 'LOWEST_RATING';

/** A list to read: the prefix of its keys, the direction to read them in, and what a cursor is bound to. */
export interface KeyedList { prefix: string; direction: ListDirection; order: string }

export function reviewListEntries(review: ReviewDocument): ListEntryDocument[] {
  const tenant = textPart(review.tenantId);
  const time = timePart(review.createdAt);
  return [
    { _id: listKey('rt', tenant, textPart(review.productId), time, review._id), tenantId: review.tenantId, ref: review._id },
    { _id: listKey('rr', tenant, textPart(review.productId), digitsPart(review.rating, 1), time, review._id), tenantId: review.tenantId, ref: review._id },
  ];
}

/** A product's reviews in `order`, or only those of one rating (by time, newest first unless OLDEST or LOWEST_RATING). */
export function reviewList(tenantId: string, productId: string, order: ReviewOrder, rating: number | null): KeyedList {
  const ascending = order === 'OLDEST' || order === 'LOWEST_RATING';
  const byRating = rating !== null || order === 'HIGHEST_RATING' || order === 'LOWEST_RATING';
  const parts = [byRating ? 'rr' : 'rt', textPart(tenantId), textPart(productId)];
  if (rating !== null) parts.push(digitsPart(rating, 1));
  return { prefix: listKey(...parts), direction: ascending ? 1 : -1, order };
}

export function productListEntry(product: Pick<ProductDocument, '_id' | 'tenantId'>): ListEntryDocument {
  return { _id: listKey('pr', textPart(product.tenantId), product._id), tenantId: product.tenantId, ref: product._id };
}

export function productList(tenantId: string): KeyedList {
  return { prefix: listKey('pr', textPart(tenantId)), direction: 1, order: 'ID' };
}
