import type { Document, Filter } from 'mongodb';

/**
 * Composite `_id` keys of list entries: a list is every entry whose key starts with the list's
 * prefix, in key order, so a page is one `_id` range read with sort on `_id` and a limit — served
 * by MongoDB's `_id` index, and by the embedded FerretDB's patched one
 * (scripts/ferretdb-patch/sqlite_id_pushdown.go). That index orders keys as MongoDB does only when
 * they are made of the bytes 0x23–0x7E other than `\ < > &`; every key built here is, and within a
 * part byte order is the order the list wants.
 */

const PLAIN_PART = /^[0-9A-Za-z_.:-]+$/;
const KEY_CHARS = /^[0-9A-Za-z_.:|~-]+$/;
const SEPARATOR = '|';
/** Sorts after the separator: `prefix}` bounds every key that starts with `prefix|`. */
const AFTER_SEPARATOR = '}';

/** A text part (tenant, product, aspect): kept when plain, else `~` + base64url, so no part holds the separator. */
export function textPart(value: string): string {
  return PLAIN_PART.test(value) ? value : `~${Buffer.from(value, 'utf8').toString('base64url')}`;
}

/** Dates span ±8.64e15 ms: shifted to be non-negative and written in 17 digits, byte order is time order. */
export function timePart(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid date in a list key');
  return String(ms + 8.64e15).padStart(17, '0');
}

/** A small non-negative integer (a rating) in fixed width. */
export function digitsPart(value: number, width: number): string {
  if (!Number.isInteger(value) || value < 0 || String(value).length > width) throw new RangeError(`${value} does not fit ${width} digits`);
  return String(value).padStart(width, '0');
}

/** Joins parts made by the helpers above (or plain ids) into a key or a list prefix. */
export function listKey(...parts: string[]): string {
  return parts.join(SEPARATOR);
}

/** Whether a string can be a key (or the part of one after a list's prefix). */
export function isKeyText(value: string): boolean {
  return KEY_CHARS.test(value);
}

export type ListDirection = 1 | -1;

/**
 * The `_id` filter of a page of the list under `prefix`: its entries after `afterKey` (exclusive) in
 * `direction` (1: ascending keys, -1: descending). Both bounds always stay inside the list.
 */
export function listPageFilter<T extends Document>(prefix: string, direction: ListDirection, afterKey: string | null): Filter<T> {
  const low = prefix + SEPARATOR;
  const high = prefix + AFTER_SEPARATOR;
  const range = direction === 1 ? { $gt: afterKey ?? low, $lt: high } : { $gt: low, $lt: afterKey ?? high };
  return { _id: range } as Filter<T>;
}
