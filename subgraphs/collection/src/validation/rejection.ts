export type RejectionCode = 'REQUIRED' | 'INVALID' | 'OUT_OF_RANGE' | 'TOO_LONG' | 'UNKNOWN_PRODUCT' | 'FUTURE_DATE' | 'NOT_PUBLISHED' | 'REVIEW_DELETED' | 'UNKNOWN_REVIEW' | 'REVISION_CONFLICT';

/** One refused item of a batch, reported to the caller as data. */
export interface Rejection { index: number; field: string | null; code: RejectionCode; message: string }

export const MAX_BATCH = 500;

/** Thrown inside a validator to reject the current item. */
export class ItemRejected extends Error {
  constructor(readonly field: string | null, readonly code: RejectionCode, message: string) {
    super(message);
  }
}

const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** An optional bounded single-line string; control characters and over-long values reject the item. */
export function optionalString(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > max) throw new ItemRejected(field, 'TOO_LONG', `${field} is ${trimmed.length} characters; the limit is ${max}`);
  if (CONTROL_CHARS.test(trimmed)) throw new ItemRejected(field, 'INVALID', `${field} contains control characters`);
  return trimmed.toWellFormed();
}

/** A required bounded string. */
export function requiredString(value: string | null | undefined, field: string, max: number): string {
  const result = optionalString(value, field, max);
  if (result === null) throw new ItemRejected(field, 'REQUIRED', `${field} must not be empty`);
  return result;
}
