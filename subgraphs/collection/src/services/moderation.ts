import { randomBytes } from 'node:crypto';
import { BadUserInputError } from '../../../../lib/errors.js';
import { newEvent, type PublishItem } from '../../../../lib/bus/index.js';
import { burstKey, DEFAULT_SOURCE_BURST_LIMIT, fingerprintId, isNewerCheck, MAX_SOURCE_BURST_LIMIT, ratingContradicts, REVIEW_SIGNALS, REVIEW_STATUSES, sourceArrivalsKey, statusOf, textSignals, type ModerationPolicyDocument, type ReviewSignal, type ReviewStatus, type SentimentCheck, type SentimentLabel } from '../models/moderation.js';
import { REVIEW_ID_PATTERN, type ReviewDocument } from '../models/review.js';
import { statusChangeId, type StatusChangeDocument } from '../models/status-change.js';
import { retryTransient } from '../../../../lib/mongo.js';
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
 * SOURCE_BURST when its source already brought the policy's source burst limit of reviews in this
 * clock hour, and PENDING when the tenant's policy holds one of the signals (PUBLISHED otherwise).
 * A review whose fingerprint it already held (a resubmission) is not counted as a new arrival.
 */
export async function assessNewReviews(deps: Pick<CollectionServices, 'moderation'>, tenantId: string, docs: ReviewDocument[]): Promise<void> {
  if (docs.length === 0) return;
  const claims = docs.map((doc) => ({ id: fingerprintId(tenantId, doc.productId, doc.text), reviewId: doc._id }));
  const authored = docs.flatMap((doc) => {
    const key = burstKey(tenantId, doc.author, doc.receivedAt);
    return key === null ? [] : [{ key, reviewId: doc._id }];
  });
  const [policy, { holders, taken }, bursts] = await Promise.all([
    deps.moderation.policyOf(tenantId),
    deps.moderation.claimFingerprints(tenantId, claims),
    authored.length > 0 ? deps.moderation.claimBurstSlots(tenantId, authored) : new Set<string>(),
  ]);
  // A claim that found its fingerprint already held by its own review is that review brought again.
  const isArrival = (i: number) => !(taken.has(i) && holders.get(claims[i]!.id) === docs[i]!._id);
  const sourceBursts = await sourceBurstsOf(deps, tenantId, docs, isArrival, policy?.sourceBurstLimit ?? DEFAULT_SOURCE_BURST_LIMIT);
  docs.forEach((doc, i) => {
    const signals = textSignals([doc.title, doc.text]);
    if (holders.get(claims[i]!.id) !== doc._id) signals.push('NEAR_DUPLICATE');
    if (bursts.has(doc._id)) signals.push('BURST');
    if (sourceBursts.has(doc._id)) signals.push('SOURCE_BURST');
    const held = signals.filter((s) => policy?.hold.includes(s));
    doc.signals = signals;
    doc.status = held.length > 0 ? 'PENDING' : 'PUBLISHED';
    doc.moderationReason = held.length > 0 ? heldReason(held) : null;
  });
}

const heldReason = (held: readonly ReviewSignal[]) => `held by the tenant's moderation policy: ${held.join(', ')}`;

/**
 * The reviews of a batch that arrive after their source's `limit` reviews of this clock hour: the
 * batch's new arrivals are appended per (source, hour) in batch order, one block each
 * (ModerationRepository.appendSourceArrivals), and an ordinal past the limit is a burst.
 */
async function sourceBurstsOf(deps: Pick<CollectionServices, 'moderation'>, tenantId: string, docs: readonly ReviewDocument[], isArrival: (index: number) => boolean, limit: number): Promise<Set<string>> {
  const arrivals = new Map<string, string[]>();
  const seen = new Set<string>();
  docs.forEach((doc, i) => {
    // one review named twice in a batch arrives once
    if (!isArrival(i) || seen.has(doc._id)) return;
    seen.add(doc._id);
    const key = sourceArrivalsKey(tenantId, doc.source, doc.receivedAt);
    arrivals.set(key, [...(arrivals.get(key) ?? []), doc._id]);
  });
  const bursts = new Set<string>();
  if (arrivals.size === 0) return bursts;
  const firsts = await deps.moderation.appendSourceArrivals(tenantId, [...arrivals].map(([key, ids]) => ({ key, count: ids.length })), docs[0]!.receivedAt);
  for (const [key, ids] of arrivals) {
    const first = firsts.get(key)!;
    ids.forEach((id, i) => { if (first + i > limit) bursts.add(id); });
  }
  return bursts;
}

export async function setModerationPolicy(deps: Pick<CollectionServices, 'moderation'>, tenantId: string, hold: readonly string[], sourceBurstLimit?: number | null, now = new Date()): Promise<ModerationPolicyDocument> {
  const unknown = hold.find((s) => !(REVIEW_SIGNALS as readonly string[]).includes(s));
  if (unknown !== undefined) throw new BadUserInputError(`hold takes signals of ${REVIEW_SIGNALS.join(', ')}`, { field: 'hold' });
  if (sourceBurstLimit !== undefined && sourceBurstLimit !== null && (!Number.isInteger(sourceBurstLimit) || sourceBurstLimit < 1 || sourceBurstLimit > MAX_SOURCE_BURST_LIMIT)) {
    throw new BadUserInputError(`sourceBurstLimit is a whole number of reviews per source and hour from 1 to ${MAX_SOURCE_BURST_LIMIT}; got ${sourceBurstLimit}`, { field: 'sourceBurstLimit' });
  }
  return deps.moderation.setPolicy(tenantId, [...new Set(hold as ReviewSignal[])], now, sourceBurstLimit ?? undefined);
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
  const unpublished = await changeStatuses(deps, tenantId, changing, status, reason, requestId, now);
  const after = await deps.reviews.findByIds(tenantId, [...found.keys()]);
  return { moderated: [...after.values()], notFound, pending: unpublished };
}

/** Rounds of "another change of the review was stored first" before a status change gives up. */
const MAX_STATUS_ROUNDS = 20;
/** A stored change whose review still does not show it after this long lost its writer: the next writer finishes it. */
const ORPHAN_CHANGE_MS = 30_000;

/**
 * The one way a review's status changes, for moderators and for signals found after storing. Change
 * N of a review is an insert-only document (models/status-change.ts) that one writer alone can
 * store: a writer that lost the number reads the winner's change and, if its own still changes
 * something (and the review is still `only.from`), tries number N+1 after it. Only a stored change
 * gets its `review.moderated` event (in the outbox first, so it reaches insights, analysis and
 * webhooks even after a crash), its change-feed entry and its publication, so no event tells of a
 * change that was not made. With `only.revision`, a review edited since it was read is left alone.
 * Returns the ids whose event is not on the bus yet (the sweeper publishes it).
 */
export async function changeStatuses(deps: CollectionServices, tenantId: string, changing: readonly ReviewDocument[], status: ReviewStatus, reason: string | null, requestId: string | undefined, now: Date, only: { from?: ReviewStatus; revision?: boolean } = {}): Promise<string[]> {
  if (changing.length === 0) return [];
  const claim = randomBytes(8).toString('hex');
  const stored = new Map<string, { change: StatusChangeDocument; event: PublishItem }>();
  let docs = [...changing];
  for (let round = 0; docs.length > 0; round++) {
    if (round >= MAX_STATUS_ROUNDS) throw new Error(`status changes of ${docs.length} reviews of tenant ${tenantId} kept losing to concurrent changes`);
    // The first round trusts the documents it was given; a lost number says a change is stored after them.
    const newer = round === 0 ? new Map<string, StatusChangeDocument>() : await deps.moderation.statusChangesAfter(tenantId, docs.map((d) => ({ reviewId: d._id, moderation: d.moderation ?? 0 })));
    for (const doc of docs) {
      const change = newer.get(doc._id);
      if (change && change.at.getTime() < now.getTime() - ORPHAN_CHANGE_MS) stored.set(change._id, { change, event: moderatedEvent(deps, doc, change, requestId) });
    }
    const stateOf = (doc: ReviewDocument) => {
      const change = newer.get(doc._id);
      return change ? { moderation: change.moderation, status: change.status, reason: change.reason } : { moderation: doc.moderation ?? 0, status: statusOf(doc), reason: doc.moderationReason ?? null };
    };
    let wanted = docs.filter((doc) => {
      const state = stateOf(doc);
      return (state.status !== status || state.reason !== reason) && (only.from === undefined || state.status === only.from);
    });
    if (only.revision && wanted.length > 0) {
      // An edit stores its revision before the review shows it: such a review's text is no longer the one judged.
      const edited = await deps.revisions.newerThan(tenantId, wanted);
      wanted = wanted.filter((doc) => !edited.has(doc._id));
    }
    const changes = wanted.map((doc): StatusChangeDocument => {
      const state = stateOf(doc);
      const moderation = state.moderation + 1;
      return { _id: statusChangeId(tenantId, doc._id, moderation), tenantId, reviewId: doc._id, moderation, status, previousStatus: state.status, reason, at: now, claim };
    });
    const lost = await retryTransient(() => deps.moderation.claimStatusChanges(tenantId, changes));
    changes.forEach((c, i) => { if (!lost.has(i)) stored.set(c._id, { change: c, event: moderatedEvent(deps, wanted[i]!, c, requestId) }); });
    if (lost.size === 0) break;
    docs = [...(await deps.reviews.findByIds(tenantId, changes.filter((_, i) => lost.has(i)).map((c) => c.reviewId))).values()];
  }
  const made = [...stored.values()];
  if (made.length === 0) return [];
  const events = made.map((m) => m.event);
  await deps.outbox.add(made.map((m) => ({ _id: m.event.event.id, tenantId, reviewId: m.change.reviewId, createdAt: now, event: m.event })));
  await showNewestStatuses(deps, tenantId, made.map((m) => m.change));
  await recordChanges(deps, tenantId, made.map((m) => ({ kind: 'STATUS_CHANGED' as const, reviewId: m.change.reviewId, productId: (m.event.event.data as ReviewModeratedData).productId, revision: (m.event.event.data as ReviewModeratedData).revision })), now);
  const { published } = await deps.publisher.publishMany(events);
  await deps.outbox.remove(published);
  const publishedIds = new Set(published);
  return [...new Set(made.filter((m) => !publishedIds.has(m.event.event.id)).map((m) => m.change.reviewId))];
}

/** The `review.moderated` event of a stored change, with the review's words as they are now (the change keeps none: a deletion erases them). */
function moderatedEvent(deps: CollectionServices, doc: ReviewDocument, change: StatusChangeDocument, requestId: string | undefined): PublishItem {
  const data: ReviewModeratedData = {
    reviewId: doc._id, productId: doc.productId, status: change.status, previousStatus: change.previousStatus, reason: change.reason, moderation: change.moderation,
    rating: doc.rating, createdAt: doc.createdAt.toISOString(), locale: doc.locale, source: doc.source, revision: doc.revision ?? 1,
    title: doc.title, text: doc.text,
  };
  return { subject: deps.topics.moderated, event: newEvent(REVIEW_MODERATED, doc.tenantId, data, { id: `${REVIEW_MODERATED}:${doc._id}:${change.moderation}`, requestId, occurredAt: change.at }) };
}

/**
 * Brings the review documents forward to their newest stored status change. A write only moves a
 * document forward, and each is read back: on the embedded FerretDB two updates of one document can
 * both match the document they read, and the later write leaves an older change showing, which the
 * next round writes again.
 */
async function showNewestStatuses(deps: CollectionServices, tenantId: string, made: readonly StatusChangeDocument[]): Promise<void> {
  let newest = new Map<string, StatusChangeDocument>();
  for (const c of made) if ((newest.get(c.reviewId)?.moderation ?? 0) < c.moderation) newest.set(c.reviewId, c);
  for (let round = 0; newest.size > 0 && round < MAX_STATUS_ROUNDS; round++) {
    await retryTransient(() => deps.reviews.collection.bulkWrite([...newest.values()].map((c) => ({
      updateOne: {
        filter: { _id: c.reviewId, tenantId, $or: [{ moderation: { $exists: false } }, { moderation: { $lt: c.moderation } }] } as never,
        update: { $set: { status: c.status, moderationReason: c.reason, moderation: c.moderation, moderatedAt: c.at } },
      },
    })), { ordered: false, comment: 'moderateReviews' } as never));
    const docs = await deps.reviews.findByIds(tenantId, [...newest.keys()]);
    newest = await deps.moderation.statusChangesAfter(tenantId, [...docs.values()].map((d) => ({ reviewId: d._id, moderation: d.moderation ?? 0 })));
  }
}

/** One analysis result of a review as `review.analyzed` says it (services/rating-sentiment-consumer.ts). */
export interface SentimentResult {
  reviewId: string;
  /** The review revision whose text was analysed. */
  reviewRevision: number;
  /** Analysis's own revision of its result for the review: a newer result has a higher one. */
  analysis: number;
  label: SentimentLabel | null;
  score: number | null;
}

/**
 * Applies analysis results to a tenant's reviews: a result of the review's current revision, newer
 * than the one applied before, decides RATING_CONTRADICTS_SENTIMENT for that revision (results of
 * older revisions, and older results, change nothing). When a result newly finds the contradiction
 * for a revision, the tenant's policy holds that signal and the review is PUBLISHED, the review goes
 * to PENDING through changeStatuses. The result is stored first, marked `holdDue`, and the mark is
 * cleared once the status changed: a crash between them is finished by the redelivery of the same
 * result. Returns how many results it applied and how many reviews it held.
 */
export async function applySentimentResults(deps: CollectionServices, tenantId: string, results: readonly SentimentResult[], now = new Date()): Promise<{ applied: number; held: number }> {
  const newest = new Map<string, SentimentResult>();
  for (const r of results) {
    const known = newest.get(r.reviewId);
    if (!known || isNewerCheck({ revision: r.reviewRevision, analysis: r.analysis }, { revision: known.reviewRevision, analysis: known.analysis })) newest.set(r.reviewId, r);
  }
  if (newest.size === 0) return { applied: 0, held: 0 };
  const reviews = await deps.reviews.findByIds(tenantId, [...newest.keys()]);
  const fresh: Array<{ doc: ReviewDocument; check: SentimentCheck }> = [];
  const unfinished: ReviewDocument[] = [];
  let policy: ModerationPolicyDocument | null | undefined;
  const holding = async () => ((policy ??= await deps.moderation.policyOf(tenantId))?.hold.includes('RATING_CONTRADICTS_SENTIMENT') ?? false);
  for (const [id, result] of newest) {
    const doc = reviews.get(id);
    // deleted, or edited since: this text is no longer the review's
    if (!doc || revisionOf(doc) !== result.reviewRevision) continue;
    const check: SentimentCheck = { revision: result.reviewRevision, analysis: result.analysis, contradicts: ratingContradicts(doc.rating, result.label, result.score), label: result.label, score: result.score, at: now };
    if (isNewerCheck(check, doc.sentimentCheck)) fresh.push({ doc, check });
    else if (doc.sentimentCheck?.holdDue && doc.sentimentCheck.revision === check.revision && doc.sentimentCheck.analysis === check.analysis) unfinished.push(doc);
  }
  if (fresh.length === 0 && unfinished.length === 0) return { applied: 0, held: 0 };
  for (const { doc, check } of fresh) {
    const before = doc.sentimentCheck;
    const knownForRevision = before !== undefined && before.revision === check.revision && before.contradicts;
    if (check.contradicts && !knownForRevision && statusOf(doc) === 'PUBLISHED' && (await holding())) check.holdDue = true;
  }
  // Forward only: a result replaces the one this read found (or none), and only while the review is at its revision.
  if (fresh.length > 0) {
    await retryTransient(() => deps.reviews.collection.bulkWrite(fresh.map(({ doc, check }) => ({
      updateOne: { filter: { ...atRevision(doc, check.revision), ...sameCheck(doc.sentimentCheck) } as never, update: { $set: { sentimentCheck: check } } },
    })), { ordered: false, comment: 'applySentimentResults' } as never));
  }
  const due = [...fresh.filter(({ check }) => check.holdDue).map(({ doc }) => doc), ...unfinished];
  if (due.length === 0) return { applied: fresh.length, held: 0 };
  // Only the reviews whose stored result is the one due to hold them, still published, change status.
  const current = await deps.reviews.findByIds(tenantId, due.map((d) => d._id));
  const toHold = [...current.values()].filter((doc) => doc.sentimentCheck?.holdDue && revisionOf(doc) === doc.sentimentCheck.revision);
  await changeStatuses(deps, tenantId, toHold.filter((doc) => statusOf(doc) === 'PUBLISHED'), 'PENDING', heldReason(['RATING_CONTRADICTS_SENTIMENT']), undefined, now, { from: 'PUBLISHED', revision: true });
  await retryTransient(() => deps.reviews.collection.bulkWrite(toHold.map((doc) => ({
    updateOne: { filter: { _id: doc._id, tenantId, ...sameCheck(doc.sentimentCheck) } as never, update: { $set: { sentimentCheck: { ...doc.sentimentCheck!, holdDue: false } } } },
  })), { ordered: false, comment: 'applySentimentResults holdDone' } as never));
  return { applied: fresh.length, held: toHold.filter((doc) => statusOf(doc) === 'PUBLISHED').length };
}

const revisionOf = (doc: ReviewDocument) => doc.revision ?? 1;

/** A filter matching the review while it is at `revision` (stored without one: revision 1). */
function atRevision(doc: ReviewDocument, revision: number) {
  return { _id: doc._id, tenantId: doc.tenantId, ...(revision === 1 ? { $or: [{ revision: { $exists: false } }, { revision: 1 }] } : { revision }) };
}

/** A filter matching the review while its stored result is still `check` (or none). */
function sameCheck(check: SentimentCheck | undefined) {
  return check ? { 'sentimentCheck.revision': check.revision, 'sentimentCheck.analysis': check.analysis } : { sentimentCheck: { $exists: false } };
}

/** Whether a caller sees a review: keys that may only read see published reviews alone. */
export function visibleTo(scopes: readonly string[], review: ReviewDocument): boolean {
  return statusOf(review) === 'PUBLISHED' || scopes.includes('write') || scopes.includes('moderate');
}
