import { createHash } from 'node:crypto';
import { BadUserInputError } from './errors.js';
import { isKeyText, listKey } from './list-key.js';

/**
 * Opaque, stable cursors of keyed lists (lib/list-key.ts): the key of the last entry returned, less
 * the list's prefix, with a digest of that prefix and of the order, so a cursor works only on the
 * list (tenant, parent, filter) and in the order it came from. Entries inserted while a client
 * pages sort before or after the cursor's key and never shift a page.
 */

const MAX_CURSOR_LENGTH = 512;

interface CursorValue { l: string; k: string }

function listTag(prefix: string, order: string): string {
  return createHash('sha256').update(`${prefix}\u0000${order}`).digest('base64url').slice(0, 16);
}

/** The cursor of the entry under `key` in the list under `prefix`, read in `order`. */
export function encodeListCursor(prefix: string, order: string, key: string): string {
  if (!key.startsWith(listKey(prefix, ''))) throw new Error(`key ${key} is not in the list ${prefix}`);
  const value: CursorValue = { l: listTag(prefix, order), k: key.slice(prefix.length) };
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The key a cursor from {@link encodeListCursor} stands for, or null for no cursor. A cursor that is
 * malformed, too long, or from another list or order is a BAD_USER_INPUT error.
 */
export function decodeListCursor(prefix: string, order: string, cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const refuse = (why: string) => new BadUserInputError(`after ${why}`, { argument: 'after' });
  if (cursor.length > MAX_CURSOR_LENGTH) throw refuse(`is longer than any cursor this field returns (${MAX_CURSOR_LENGTH} characters)`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a cursor returned by this field');
  }
  const { l, k } = (typeof value === 'object' && value !== null ? value : {}) as Partial<CursorValue>;
  // past the prefix and its separator, so the page's range stays inside the list whatever the rest says
  if (typeof l !== 'string' || typeof k !== 'string' || !k.startsWith(listKey('', '')) || !isKeyText(k)) throw refuse('is not a cursor returned by this field');
  if (l !== listTag(prefix, order)) throw refuse('is a cursor of another list or order; start again without after');
  return prefix + k;
}
