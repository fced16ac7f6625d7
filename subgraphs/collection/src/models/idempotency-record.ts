import { createHash } from 'node:crypto';
import { digitsPart, listKey, textPart } from '../../../../lib/list-key.js';

/** How long a `submitReviews` idempotency key is remembered: a retry within this time returns the first result. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60_000;

/** Records are deleted this long after they expire (expiry itself is checked on read). */
export const IDEMPOTENCY_CLEANUP_GRACE_MS = 60 * 60_000;

/**
 * One use of an idempotency key, keyed `ik|<tenant>|<key hash>|<generation>`. Insert-only per
 * generation: the unique `_id` lets exactly one call run under a key, and an expired (or failed)
 * use is followed by the next generation rather than rewritten, since FerretDB does not make a
 * version-checked update atomic. Only the call that inserted a generation ever updates it.
 */
export interface IdempotencyRecordDocument {
  _id: string;
  tenantId: string;
  keyHash: string;
  generation: number;
  payloadHash: string;
  state: 'RUNNING' | 'DONE' | 'FAILED';
  /** The first call's result as JSON, once DONE. */
  result: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export function idempotencyKeyPrefix(tenantId: string, key: string): string {
  return listKey('ik', textPart(tenantId), keyHash(key));
}

export function idempotencyRecordId(tenantId: string, key: string, generation: number): string {
  return listKey(idempotencyKeyPrefix(tenantId, key), digitsPart(generation, 6));
}

export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** A digest of a payload that ignores key order and absent-vs-null fields, so equal payloads hash equal however they were written. */
export function payloadHash(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(payload))).digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
