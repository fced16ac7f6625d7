import { BadUserInputError } from '../../../../lib/errors.js';
import { newEvent, type PublishItem } from '../../../../lib/bus/index.js';
import { burstKey, fingerprintId, REVIEW_SIGNALS, REVIEW_STATUSES, statusOf, textSignals, type ModerationPolicyDocument, type ReviewSignal, type ReviewStatus } from '../models/moderation.js';
import { REVIEW_ID_PATTERN, type ReviewDocument } from '../models/review.js';
import { recordChanges } from './change-feed.js';
import type { CollectionServices } from './collection-services.js';

export const MAX_MODERATE_BATCH = 100;
export const REVIEW_MODERATED = 'review.moderated';

/** What `review.moderated` tells downstream services: the review's new status, and what insights count of it. */
export interface ReviewModeratedData {
  reviewId: string; productId: string; status: ReviewStatus; previousStatus: ReviewStatus; reason: string | null;
  /** Bumped by every status change, so a late event for an older change is recognised. */
  moderation: number;
  rating: number; createdAt: string; locale: string | null; source: string; revision: number;
  /** The review's words, so a publication reaches webhook receivers as a whole review. */
  title: string | null; text: string;
}

/**
 * Gives new reviews their signals and status before they are stored: the signals of their own
 * words, NEAR_DUPLICATE when another review of the product already has the same normalised text,
 * BURST when its author already gave the tenant BURST_LIMIT other reviews in this clock hour,
 * and PENDING when the tenant's policy holds one of the signals (PUBLISHED otherwise).
 */
export async function assessNewReviews(deps: Pick<CollectionServices, 'moderation'>, tenantId: string, docs: ReviewDocument[]): Promise<void> {
  if (docs.length === 0) return;
  const claims = docs.map((doc) => ({ id: fingerprintId(tenantId, doc.productId, doc.text), reviewId: doc._id }));
  const authored = docs.flatMap((doc) => {
    const key = burstKey(tenantId, doc.author, doc.receivedAt);
    return key === null ? [] : [{ key, reviewId: doc._id }];
  });
  const [policy, holders, bursts] = await Promise.all([
    deps.moderation.policyOf(tenantId),
    deps.moderation.claimFingerprints(tenantId, claims),
    authored.length > 0 ? deps.moderation.claimBurstSlots(tenantId, authored) : new Set<string>(),
  ]);
  docs.forEach((doc, i) => {
    const signals = textSignals([doc.title, doc.text]);
    if (holders.get(claims[i]!.id) !== doc._id) signals.push('NEAR_DUPLICATE');
    if (bursts.has(doc._id)) signals.push('BURST');
    const held = signals.filter((s) => policy?.hold.includes(s));
    doc.signals = signals;
    doc.status = held.length > 0 ? 'PENDING' : 'PUBLISHED';
    doc.moderationReason = held.length > 0 ? `held by the tenant's moderation policy: ${held.join(', ')}` : null;
  });
}

export async function setModerationPolicy(deps: Pick<CollectionServices, 'moderation'>, tenantId: string, hold: readonly string[], now = new Date()): Promise<ModerationPolicyDocument> {
  const unknown = hold.find((s) => !(REVIEW_SIGNALS as readonly string[]).includes(s));
  if (unknown !== undefined) throw new BadUserInputError(`hold takes signals of ${REVIEW_SIGNALS.join(', ')}`, { field: 'hold' });
  return deps.moderation.setPolicy(tenantId, [...new Set(hold as ReviewSignal[])], now);
}

export interface ModerateResult { moderated: ReviewDocument[]; notFound: string[]; pending: string[] }

/**
 * Sets reviews' status. A change is stored with its `review.moderated` event in the outbox first
 * (so it reaches insights even after a crash), recorded in the change feed, then published.
 */
export async function moderateReviews(deps: CollectionServices, tenantId: string, input: { ids: readonly string[]; status: string; reason?: string | null }, requestId?: string, now = new Date()): Promise<ModerateResult> {
  const { ids } = input;
  if (ids.length > MAX_MODERATE_BATCH) throw new BadUserInputError(`moderateReviews takes at most ${MAX_MODERATE_BATCH} ids per call; got ${ids.length}`);
  const malformed = ids.find((id) => !REVIEW_ID_PATTERN.test(id));
  if (malformed !== undefined) throw new BadUserInputError(`"${malformed.slice(0, 40)}" is not a review id (rev_ followed by 24 hex digits)`, { field: 'ids' });
  if (!(REVIEW_STATUSES as readonly string[]).includes(input.status)) throw new BadUserInputError(`status is one of ${REVIEW_STATUSES.join(', ')}`, { field: 'status' });
  const status = input.status as ReviewStatus;
  const reason = input.reason?.trim() || null;
  if (status === 'REJECTED' && reason === null) throw new BadUserInputError('a rejection needs a reason (it is shown to the review\'s source)', { field: 'reason' });
  if (reason !== null && reason.length > 500) throw new BadUserInputError(`reason is ${reason.length} characters; the limit is 500`, { field: 'reason' });

  const found = await deps.reviews.findByIds(tenantId, ids);
  const notFound = [...new Set(ids)].filter((id) => !found.has(id));
  const changing = [...found.values()].filter((doc) => statusOf(doc) !== status || (doc.moderationReason ?? null) !== reason);
  const events: PublishItem[] = changing.map((doc) => {
    const moderation = (doc.moderation ?? 0) + 1;
    const data: ReviewModeratedData = {
      reviewId: doc._id, productId: doc.productId, status, previousStatus: statusOf(doc), reason, moderation,
      rating: doc.rating, createdAt: doc.createdAt.toISOString(), locale: doc.locale, source: doc.source, revision: doc.revision ?? 1,
      title: doc.title, text: doc.text,
    };
    return { subject: deps.topics.moderated, event: newEvent(REVIEW_MODERATED, tenantId, data, { id: `${REVIEW_MODERATED}:${doc._id}:${moderation}`, requestId }) };
  });
  if (changing.length > 0) {
    await deps.outbox.add(events.map((item, i) => ({ _id: item.event.id, tenantId, reviewId: changing[i]!._id, createdAt: now, event: item })));
    await deps.reviews.collection.bulkWrite(changing.map((doc) => ({
      updateOne: {
        filter: { _id: doc._id, tenantId, moderation: doc.moderation ?? { $exists: false } } as never,
        update: { $set: { status, moderationReason: reason, moderation: (doc.moderation ?? 0) + 1, moderatedAt: now } },
      },
    })), { ordered: false, comment: 'moderateReviews' } as never);
    await recordChanges(deps, tenantId, changing.map((doc) => ({ kind: 'STATUS_CHANGED' as const, reviewId: doc._id, productId: doc.productId, revision: doc.revision ?? 1 })), now);
  }
  const { published } = await deps.publisher.publishMany(events);
  await deps.outbox.remove(published);
  const publishedIds = new Set(published);
  const after = await deps.reviews.findByIds(tenantId, [...found.keys()]);
  return {
    moderated: [...after.values()],
    notFound,
    pending: changing.filter((_, i) => !publishedIds.has(events[i]!.event.id)).map((doc) => doc._id),
  };
}

/** Whether a caller sees a review: keys that may only read see published reviews alone. */
export function visibleTo(scopes: readonly string[], review: ReviewDocument): boolean {
  return statusOf(review) === 'PUBLISHED' || scopes.includes('write') || scopes.includes('moderate');
}
