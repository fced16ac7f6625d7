import { createHash } from 'node:crypto';

export type ReviewStatus = 'PUBLISHED' | 'PENDING' | 'REJECTED';
export type ReviewSignal = 'LINK_OR_CONTACT' | 'REPEATED_CHARACTERS' | 'NEAR_DUPLICATE' | 'BURST';
export const REVIEW_SIGNALS: readonly ReviewSignal[] = ['LINK_OR_CONTACT', 'REPEATED_CHARACTERS', 'NEAR_DUPLICATE', 'BURST'];
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['PUBLISHED', 'PENDING', 'REJECTED'];

/** A tenant's moderation policy: the signals that hold a new review as PENDING (none: every review is published). */
export interface ModerationPolicyDocument { _id: string; tenantId: string; hold: ReviewSignal[]; updatedAt: Date }

/** What the graph shows of a policy: a tenant that never set one holds nothing. */
export type ModerationPolicyView = Pick<ModerationPolicyDocument, 'hold'> & { updatedAt: Date | null };

export function moderationPolicyId(tenantId: string): string {
  return `mp_${createHash('sha256').update(`moderation\u0000${tenantId}`).digest('hex').slice(0, 24)}`;
}

/**
 * The first review of a product with a given normalised text: insert-only under an id made of
 * tenant, product and fingerprint, so the first writer wins and a later twin finds it.
 */
export interface TextFingerprintDocument { _id: string; tenantId: string; reviewId: string }

export function fingerprintId(tenantId: string, productId: string, text: string): string {
  const normalised = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return `fp_${createHash('sha256').update(`${tenantId}\u0000${productId}\u0000${normalised}`).digest('hex').slice(0, 32)}`;
}

/** Reviews one author may give a tenant in one clock hour (UTC, by arrival) before the next ones are a BURST. */
export const BURST_LIMIT = 5;

/**
 * One of the BURST_LIMIT slots of an (author, hour): insert-only under an id made of tenant, author
 * and hour and the slot's number, so a batch reads every slot it could take in one `_id` read, and
 * a review that finds them all taken by other reviews is a burst.
 */
export interface BurstSlotDocument { _id: string; tenantId: string; reviewId: string }

/** The hour (as a key) and the author (trimmed, case set aside) a review counts against; null without an author. */
export function burstKey(tenantId: string, author: string | null, receivedAt: Date): string | null {
  const name = author?.normalize('NFKC').trim().toLowerCase();
  if (!name) return null;
  const hour = Math.floor(receivedAt.getTime() / 3_600_000);
  return `bs_${createHash('sha256').update(`burst\u0000${tenantId}\u0000${name}\u0000${hour}`).digest('hex').slice(0, 32)}`;
}

export function burstSlotId(key: string, slot: number): string {
  return `${key}_${slot}`;
}

const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|io|co|biz|info|shop|store|de|fr|uk|ru|cn)\b/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;
// 8 or more digits, allowing the separators phone numbers are written with
const PHONE = /(?:\+|\b)\d(?:[\s().-]*\d){7,}\b/;
// the same character six times or more ("soooooo", "!!!!!!"); spaces and digits do not count
const REPEATED = /([^\s\d])\1{5,}/u;

/** The signals a review's own words give: links or contact details, and a character repeated many times. */
export function textSignals(texts: ReadonlyArray<string | null>): ReviewSignal[] {
  const all = texts.filter((t): t is string => t !== null).join('\n');
  const signals: ReviewSignal[] = [];
  if (LINK.test(all) || EMAIL.test(all) || PHONE.test(all)) signals.push('LINK_OR_CONTACT');
  if (REPEATED.test(all)) signals.push('REPEATED_CHARACTERS');
  return signals;
}

/** A review document's status: reviews stored before moderation existed are published. */
export function statusOf(review: { status?: ReviewStatus }): ReviewStatus {
  return review.status ?? 'PUBLISHED';
}
