import type { AnyBulkWriteOperation } from 'mongodb';
import { retryTransient } from '../../../../lib/mongo.js';
import type { ReviewInput } from '../__generated__/resolvers-types.js';
import { reviewListEntries } from '../models/lists.js';
import { fingerprintId } from '../models/moderation.js';
import type { ProductDocument } from '../models/product.js';
import { contentOf, revisionId, revisionOf, sameContent, updatedEventId, type ReviewContent, type ReviewRevisionDocument } from '../models/review-revision.js';
import type { ReviewDocument } from '../models/review.js';
import type { OutboxDocument } from '../repositories/outbox-repository.js';
import type { CleanReview } from '../validation/review-input.js';
import type { Rejection } from '../validation/rejection.js';
import { recordChanges } from './change-feed.js';
import type { CollectionServices } from './collection-services.js';
import { updatedEvent } from './review-events.js';

/** What one call asks of a stored review: the content of its last item, and the revision it was meant to edit. */
export interface EditRequest { id: string; productId: string; content: ReviewContent; expectedRevision: number | null }

/** Per review: its revision after the call, whether this call changed it, and whether its event is on the bus. */
export interface EditOutcome { revision: number; edited: boolean; published: boolean; rejection?: Omit<Rejection, 'index'> }

const MAX_ROUNDS = 20;

/**
 * The edit each stored review gets from a call: the last item naming it wins (items apply in order),
 * and an item without `createdAt` keeps the stored date rather than meaning "now".
 */
export function editRequests(inputs: readonly ReviewInput[], valid: ReadonlyArray<{ index: number; review: CleanReview }>, itemIds: ReadonlyArray<{ index: number; id: string }>): Map<string, EditRequest & { keepCreatedAt: boolean }> {
  const cleanByIndex = new Map(valid.map((v) => [v.index, v.review]));
  const requests = new Map<string, EditRequest & { keepCreatedAt: boolean }>();
  for (const { index, id } of itemIds) {
    const review = cleanByIndex.get(index)!;
    const raw = inputs[index]!;
    requests.set(id, {
      id,
      productId: review.productId,
      content: contentOf(review),
      keepCreatedAt: raw.createdAt === null || raw.createdAt === undefined || raw.createdAt.trim() === '',
      expectedRevision: typeof raw.revision === 'number' ? raw.revision : null,
    });
  }
  return requests;
}

/**
 * Applies what a submission changed in reviews already stored (`stored`: their documents as this
 * call found them). Each changed review gets the next revision, decided by an insert-only revision
 * document (one winner per revision; a loser reads the winner's and tries the one after), then the
 * review document, its list entries, the change feed and `review.updated` follow. The event's outbox
 * entry is written before the revision, so a crash anywhere is finished by the sweeper.
 */
export async function applyEdits(
  deps: CollectionServices,
  tenantId: string,
  stored: ReadonlyMap<string, ReviewDocument>,
  requests: ReadonlyMap<string, EditRequest & { keepCreatedAt: boolean }>,
  products: ReadonlyMap<string, ProductDocument>,
  requestId: string | undefined,
  now = new Date(),
): Promise<Map<string, EditOutcome>> {
  const outcomes = new Map<string, EditOutcome>();
  // Only items that differ from the document found are looked at further: most resubmissions repeat it.
  const differs = (r: EditRequest & { keepCreatedAt: boolean }, doc: ReviewDocument) => r.productId !== doc.productId || !sameContent(contentOf(doc), r.keepCreatedAt ? { ...r.content, createdAt: doc.createdAt } : r.content);
  let open = [...requests.values()].filter((r) => stored.has(r.id) && differs(r, stored.get(r.id)!));
  let docs = new Map(open.map((r) => [r.id, stored.get(r.id)!]));
  const toComplete = new Map<string, ReviewDocument>();
  for (let round = 0; open.length > 0; round++) {
    if (round > 0) docs = await deps.reviews.findByIds(tenantId, open.map((r) => r.id));
    const newer = await deps.revisions.newerThan(tenantId, [...docs.values()]);
    const attempts: ReviewRevisionDocument[] = [];
    for (const request of open) {
      const doc = docs.get(request.id);
      if (!doc) {
        outcomes.set(request.id, { revision: 0, edited: false, published: false, rejection: { field: null, code: 'REVIEW_DELETED', message: `review ${request.id} was deleted while this edit was made; submit it again to store it as a new review` } });
        continue;
      }
      const latest = newer.get(doc._id);
      const revision = latest?.revision ?? revisionOf(doc);
      const current = latest?.content ?? contentOf(doc);
      const wanted = request.keepCreatedAt ? { ...request.content, createdAt: current.createdAt } : request.content;
      if (request.productId !== doc.productId) {
        outcomes.set(doc._id, { revision, edited: false, published: false, rejection: { field: 'productId', code: 'INVALID', message: `review ${doc._id} belongs to product ${doc.productId}; a review cannot move to another product (delete it and submit it anew)` } });
      } else if (request.expectedRevision !== null && request.expectedRevision !== revision && !(round > 0 && sameContent(current, wanted))) {
        outcomes.set(doc._id, { revision, edited: false, published: false, rejection: { field: 'revision', code: 'REVISION_CONFLICT', message: `review ${doc._id} is at revision ${revision}, not ${request.expectedRevision}; read it again and resubmit your edit against revision ${revision}` } });
      } else if (sameContent(current, wanted)) {
        // Nothing new, unless an earlier edit of it (this call's lost race, or a crashed call) is not finished yet.
        const edited = outcomes.get(doc._id)?.edited ?? false;
        outcomes.set(doc._id, { revision, edited, published: latest === undefined && !edited });
        if (latest || edited) toComplete.set(doc._id, withContent(doc, latest ?? { revision, content: current, editedAt: doc.updatedAt ?? now }));
      } else {
        attempts.push({ _id: revisionId(doc._id, revision + 1), tenantId, reviewId: doc._id, revision: revision + 1, content: wanted, editedAt: now });
      }
    }
    if (attempts.length === 0) break;
    if (round >= MAX_ROUNDS) {
      for (const a of attempts) outcomes.set(a.reviewId, { revision: a.revision - 1, edited: false, published: false, rejection: { field: null, code: 'NOT_PUBLISHED', message: `review ${a.reviewId} kept changing under concurrent edits; submit the edit again` } });
      break;
    }
    await deps.outbox.add(attempts.map((a): OutboxDocument => ({ _id: updatedEventId(a.reviewId, a.revision), tenantId, reviewId: a.reviewId, createdAt: now, revision: a.revision })));
    const lost = await deps.revisions.insertMany(attempts);
    open = [];
    for (const [i, a] of attempts.entries()) {
      if (lost.has(i)) {
        open.push(requests.get(a.reviewId)!);
      } else {
        outcomes.set(a.reviewId, { revision: a.revision, edited: true, published: false });
        toComplete.set(a.reviewId, withContent(docs.get(a.reviewId)!, a));
      }
    }
  }
  if (toComplete.size > 0) {
    const published = await completeEdits(deps, tenantId, [...toComplete.values()], products, requestId, now);
    for (const id of toComplete.keys()) {
      const outcome = outcomes.get(id);
      if (outcome && !outcome.rejection) outcome.published = published.has(id);
    }
  }
  return outcomes;
}

function withContent(doc: ReviewDocument, revision: Pick<ReviewRevisionDocument, 'revision' | 'content' | 'editedAt'>): ReviewDocument {
  return { ...doc, ...revision.content, revision: revision.revision, updatedAt: revision.editedAt };
}

/**
 * Brings review documents up to their newest revisions and tells the world: list entries at the new
 * keys first (an entry whose review is elsewhere is skipped when read), the documents (each only
 * forward, and read back: two racing edits may leave one behind, which is then rewritten), the old
 * list entries out, the change feed, and `review.updated`. Returns the ids of the reviews whose newest
 * revision's event is on the bus.
 */
export async function completeEdits(deps: CollectionServices, tenantId: string, targets: readonly ReviewDocument[], products: ReadonlyMap<string, ProductDocument>, requestId?: string, now = new Date()): Promise<Set<string>> {
  const before = await deps.reviews.findByIds(tenantId, targets.map((t) => t._id));
  let current = targets.filter((t) => before.has(t._id));
  await deps.reviews.lists.add(current.flatMap(reviewListEntries));
  for (let round = 0; current.length > 0 && round < MAX_ROUNDS; round++) {
    const operations: AnyBulkWriteOperation<ReviewDocument>[] = current.map((doc) => ({
      updateOne: {
        filter: { _id: doc._id, tenantId, $or: [{ revision: { $exists: false } }, { revision: { $lt: revisionOf(doc) } }] },
        update: { $set: { ...contentOf(doc), revision: revisionOf(doc), updatedAt: doc.updatedAt ?? now } },
      },
    }));
    await retryTransient(() => deps.reviews.collection.bulkWrite(operations, { ordered: false }));
    const reread = await deps.reviews.findByIds(tenantId, current.map((d) => d._id));
    const newer = await deps.revisions.newerThan(tenantId, [...reread.values()]);
    const behind: ReviewDocument[] = [];
    for (const doc of current) {
      const stored = reread.get(doc._id);
      if (!stored) continue;
      const latest = newer.get(doc._id);
      if (revisionOf(stored) < revisionOf(doc)) behind.push(doc);
      else if (latest) behind.push(withContent(stored, latest));
    }
    if (behind.length > 0) await deps.reviews.lists.add(behind.flatMap(reviewListEntries));
    current = behind;
  }
  const after = await deps.reviews.findByIds(tenantId, targets.map((t) => t._id));
  // Every revision up to the one stored may have list entries (a racing edit adds its own before
  // writing the document): all but the stored one's go.
  const passed = await deps.revisions.findByIds(tenantId, targets.flatMap((t) => {
    const doc = after.get(t._id);
    const low = Math.min(revisionOf(t), revisionOf(before.get(t._id) ?? t));
    return doc ? Array.from({ length: Math.max(0, revisionOf(doc) - low) }, (_, i) => revisionId(t._id, low + i)) : [];
  }));
  const keep = new Set([...after.values()].flatMap(reviewListEntries).map((e) => e._id));
  const older = [...passed.values()].flatMap((r) => { const doc = after.get(r.reviewId); return doc ? [withContent(doc, r)] : []; });
  const stale = [...before.values(), ...targets, ...older].flatMap(reviewListEntries).map((e) => e._id).filter((key) => !keep.has(key));
  await deps.reviews.lists.remove(stale);
  // A later revision may share keys with one just removed (same rating and date): the stored ones go back.
  const edited = [...(await deps.reviews.findByIds(tenantId, targets.map((t) => t._id))).values()];
  await deps.reviews.lists.add(edited.flatMap(reviewListEntries));
  // Words edited away are no longer this review's: a later review with them is no near-duplicate.
  await deps.moderation.releaseFingerprints(tenantId, edited.flatMap((doc) => {
    const old = before.get(doc._id);
    const was = old ? fingerprintId(tenantId, old.productId, old.text) : null;
    return was === null || was === fingerprintId(tenantId, doc.productId, doc.text) ? [] : [{ id: was, reviewId: doc._id }];
  }));
  await recordChanges(deps, tenantId, edited.map((doc) => ({ kind: 'UPDATED' as const, reviewId: doc._id, productId: doc.productId, revision: revisionOf(doc) })), now);
  const missingProducts = edited.filter((d) => !products.has(d.productId)).map((d) => d.productId);
  const allProducts = missingProducts.length > 0 ? new Map([...products, ...(await deps.products.findByIds(tenantId, missingProducts))]) : products;
  const { published, failed } = await deps.publisher.publishMany(edited.map((doc) => updatedEvent(deps.topics, doc, allProducts.get(doc.productId), requestId)));
  const publishedIds = new Set(published);
  const done = new Set(edited.filter((doc) => publishedIds.has(updatedEventId(doc._id, revisionOf(doc)))).map((doc) => doc._id));
  // Once a review's newest revision is on the bus, the entries of the revisions before it (this
  // call's, or a lost race's) have nothing left to tell.
  const from = new Map(targets.map((t) => [t._id, Math.min(revisionOf(t), revisionOf(before.get(t._id) ?? t) + 1)]));
  await deps.outbox.remove(edited.filter((doc) => done.has(doc._id)).flatMap((doc) => {
    const first = Math.min(from.get(doc._id) ?? revisionOf(doc), revisionOf(doc));
    return Array.from({ length: revisionOf(doc) - first + 1 }, (_, i) => updatedEventId(doc._id, first + i));
  }));
  if (failed.length > 0) deps.log.warn({ failed: failed.length, reason: failed[0]?.error }, 'review.updated events not published; the sweeper will retry');
  return done;
}

/**
 * The sweeper's part for edits: outbox entries of `review.updated` whose request did not finish. The
 * review is brought up to its newest revision and that is published; an entry whose revision was
 * never stored (its edit lost the race, or died before) is dropped once `dropBefore` passed, and an
 * entry of a deleted review is dropped (its deletion's own event says the rest).
 */
export async function finishEdits(deps: CollectionServices, entries: readonly OutboxDocument[], dropBefore: number, now = new Date()): Promise<{ republished: number; dropped: number; failed: number }> {
  const result = { republished: 0, dropped: 0, failed: 0 };
  const byTenant = new Map<string, OutboxDocument[]>();
  for (const e of entries) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e]);
  for (const [tenantId, group] of byTenant) {
    const reviews = await deps.reviews.findByIds(tenantId, group.map((e) => e.reviewId));
    const newer = await deps.revisions.newerThan(tenantId, [...reviews.values()]);
    const gone = group.filter((e) => !reviews.has(e.reviewId));
    const targets = new Map<string, ReviewDocument>();
    const unmade: OutboxDocument[] = [];
    for (const e of group) {
      const review = reviews.get(e.reviewId);
      if (!review) continue;
      const latest = newer.get(review._id);
      const newest = latest ? withContent(review, latest) : review;
      if (revisionOf(newest) >= (e.revision ?? 0)) targets.set(review._id, newest);
      else unmade.push(e);
    }
    const orphans = [...gone, ...unmade.filter((e) => e.createdAt.getTime() < dropBefore)];
    await deps.outbox.remove(orphans.map((e) => e._id));
    result.dropped += orphans.length;
    if (targets.size === 0) continue;
    const products = await deps.products.findByIds(tenantId, [...targets.values()].map((d) => d.productId));
    const published = await completeEdits(deps, tenantId, [...targets.values()], products, undefined, now);
    const handled = group.filter((e) => targets.has(e.reviewId));
    const done = handled.filter((e) => published.has(e.reviewId));
    await deps.outbox.remove(done.map((e) => e._id));
    result.republished += done.length;
    result.failed += handled.length - done.length;
  }
  return result;
}
