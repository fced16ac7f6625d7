import { listKey, timePart } from '../../../../lib/list-key.js';

const EXPIRY_LIST = 'ie';

/**
 * When an idempotency record expires, as an entry keyed `ie|<expiresAt>|<record id>` beside the
 * records (same collection), so the records due for deletion are one `_id` range read, soonest
 * first, however many keys are stored. Written with its record, in the same insert and before it.
 */
export interface IdempotencyExpiryDocument {
  _id: string;
  recordId: string;
  /** Also here so that MongoDB's TTL index removes the entry with its record. */
  expiresAt: Date;
}

export function idempotencyExpiryEntry(recordId: string, expiresAt: Date): IdempotencyExpiryDocument {
  return { _id: listKey(EXPIRY_LIST, timePart(expiresAt), recordId), recordId, expiresAt };
}

/** The `_id` filter of the entries of records that expired before `before`. */
export function expiredBeforeFilter(before: Date): { _id: { $gt: string; $lt: string } } {
  return { _id: { $gt: listKey(EXPIRY_LIST, ''), $lt: listKey(EXPIRY_LIST, timePart(before)) } };
}

/** Present once the records stored before the expiry list existed have their entries (outside the list's range). */
export const EXPIRY_BACKFILL_MARKER = `${EXPIRY_LIST}-backfilled`;
