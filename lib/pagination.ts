import { BadUserInputError } from './errors.js';

export const MAX_PAGE_SIZE = 100;

/** Validates a Relay `first` argument: defaults to 20, refuses negatives, caps at 100. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 0) throw new BadUserInputError('first must be a non-negative integer', { argument: 'first' });
  return Math.min(first, MAX_PAGE_SIZE);
}

/** Opaque cursor from a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor, checking its shape; bad cursors are a user error. */
export function decodeCursor<T>(cursor: string | null | undefined, isValid: (value: unknown) => value is T): T | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the user error
  }
  throw new BadUserInputError('after is not a cursor returned by this field', { argument: 'after' });
}
