import { createHash } from 'node:crypto';
import { digitsPart, listKey } from '../../../../lib/list-key.js';

export type ReviewStatus = 'PUBLISHED' | 'PENDING' | 'REJECTED';
export type ReviewSignal = 'LINK_OR_CONTACT' | 'REPEATED_CHARACTERS' | 'NEAR_DUPLICATE' | 'BURST' | 'SOURCE_BURST' | 'RATING_CONTRADICTS_SENTIMENT';
export const REVIEW_SIGNALS: readonly ReviewSignal[] = ['LINK_OR_CONTACT', 'REPEATED_CHARACTERS', 'NEAR_DUPLICATE', 'BURST', 'SOURCE_BURST', 'RATING_CONTRADICTS_SENTIMENT'];
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['PUBLISHED', 'PENDING', 'REJECTED'];

/**
 * A tenant's moderation policy: the signals that hold a review as PENDING (none: every review is
 * published), and how many reviews one source may bring in one clock hour before SOURCE_BURST
 * (absent: DEFAULT_SOURCE_BURST_LIMIT).
 */
export interface ModerationPolicyDocument { _id: string; tenantId: string; hold: ReviewSignal[]; sourceBurstLimit?: number; updatedAt: Date }

/** What the graph shows of a policy: a tenant that never set one holds nothing. */
export type ModerationPolicyView = Pick<ModerationPolicyDocument, 'hold' | 'sourceBurstLimit'> & { updatedAt: Date | null };

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
 * and hour and the slot's number, taken lowest first, so a batch finds the slots it could take by
 * `_id`, and a review that finds them all taken by other reviews is a burst.
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

/** Reviews one source may bring a tenant in one clock hour (UTC, by arrival) before the next ones are a SOURCE_BURST, unless the policy says otherwise. */
export const DEFAULT_SOURCE_BURST_LIMIT = 1_000;
export const MAX_SOURCE_BURST_LIMIT = 10_000_000;

/**
 * The arrivals of one (source, hour) as a chain of insert-only blocks: block n says it holds the
 * arrivals `from`..`to` (1-based, in arrival order), and block n + 1 starts at `to + 1`. A batch
 * appends one block per (source, hour) it brings reviews of: the unique `_id` makes the chain
 * linear under concurrent batches (a loser reads the newest block and appends after it), and its
 * reviews' ordinals say which came after the limit. The cost is one insert per batch, not per review.
 */
export interface SourceArrivalBlockDocument { _id: string; tenantId: string; seq: number; from: number; to: number; at: Date }

/** The list prefix of a (source, hour)'s arrival blocks; block ids sort by their sequence number. */
export function sourceArrivalsKey(tenantId: string, source: string, receivedAt: Date): string {
  const hour = Math.floor(receivedAt.getTime() / 3_600_000);
  return listKey('sa', createHash('sha256').update(`source-burst\u0000${tenantId}\u0000${source}\u0000${hour}`).digest('hex').slice(0, 32));
}

export function sourceArrivalBlockId(key: string, seq: number): string {
  return listKey(key, digitsPart(seq, 12));
}

/**
 * How strong analysed sentiment must be to contradict a rating: the analysis engine's document score
 * runs from -1 to 1 and is labelled NEUTRAL within ±0.05; at 0.9 or beyond it is about the words
 * "terrible", "broke", "waste of money" (or "love it", "best purchase") with little said the other way.
 */
export const STRONG_SENTIMENT = 0.9;

export type SentimentLabel = 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';

/** Whether a rating contradicts strong sentiment: 4 or 5 stars with score ≤ -0.9, or 1 or 2 stars with score ≥ 0.9. */
export function ratingContradicts(rating: number, label: SentimentLabel | null, score: number | null): boolean {
  if (label === null || score === null) return false;
  if (rating >= 4) return label === 'NEGATIVE' && score <= -STRONG_SENTIMENT;
  if (rating <= 2) return label === 'POSITIVE' && score >= STRONG_SENTIMENT;
  return false;
}

/**
 * The last analysis result collection applied to a review: of which review revision (edit) and
 * which analysis revision (analysis bumps it per new result of a review), and whether it
 * contradicted the rating of that revision. Results move forward only, and the signal holds only
 * for the revision it was computed for: an edit hides it until its own text is analysed.
 */
export interface SentimentCheck {
  revision: number; analysis: number; contradicts: boolean; label: SentimentLabel | null; score: number | null; at: Date;
  /** This result holds the review as PENDING and the status change may not have happened yet. */
  holdDue?: boolean;
}

/** Whether `check` is newer than `than` (by review revision, then analysis revision). */
export function isNewerCheck(check: Pick<SentimentCheck, 'revision' | 'analysis'>, than: Pick<SentimentCheck, 'revision' | 'analysis'> | undefined): boolean {
  if (!than) return true;
  return check.revision > than.revision || (check.revision === than.revision && check.analysis > than.analysis);
}

/** A review's signals: those computed when it was stored, and RATING_CONTRADICTS_SENTIMENT while its current revision's analysis says so. */
export function signalsOf(review: { signals?: ReviewSignal[]; revision?: number; sentimentCheck?: SentimentCheck }): ReviewSignal[] {
  const stored = review.signals ?? [];
  const check = review.sentimentCheck;
  return check && check.contradicts && check.revision === (review.revision ?? 1) ? [...stored, 'RATING_CONTRADICTS_SENTIMENT'] : stored;
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
