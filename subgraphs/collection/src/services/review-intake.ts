import { BadUserInputError } from '../../../../lib/errors.js';
import { WriteTurns } from '../../../../lib/write-turns.js';
import type { ReviewInput } from '../__generated__/resolvers-types.js';
import { reviewIdFor, submittedEventId, type ReviewDocument } from '../models/review.js';
import { cleanReviewInput, type CleanReview } from '../validation/review-input.js';
import { ItemRejected, MAX_BATCH, type Rejection } from '../validation/rejection.js';
import type { CollectionServices } from './collection-services.js';
import { recordChanges } from './change-feed.js';
import { submittedEvent } from './review-events.js';
import { assessNewReviews } from './moderation.js';
import { applyEdits, editRequests } from './review-edits.js';

export interface AcceptedReview { index: number; id: string; duplicate: boolean; revision: number; edited: boolean }
/** `awaiting` (NOT_PUBLISHED only, not shown to callers): what the item is accepted as once its events are on the bus. */
export interface SubmitResult { accepted: AcceptedReview[]; rejected: Array<Rejection & { awaiting?: AcceptedReview }> }

/**
 * Validates, stores and publishes a batch of reviews. Order matters for crash safety: the outbox
 * entry is written before the review, and removed only after JetStream acknowledged the event.
 */
export async function submitReviews(deps: CollectionServices, tenantId: string, inputs: readonly ReviewInput[], requestId?: string, now = new Date()): Promise<SubmitResult> {
  const turn = await writeTurns.take(deps.reviews.collection.dbName);
  try {
    return await submitBatch(deps, tenantId, inputs, requestId, now, turn);
  } finally {
    turn.release();
  }
}

/**
 * The batches of one process write one at a time per database, each handing the turn on once its
 * writes are done and it only waits for the bus: the embedded SQLite has one writer per file, and
 * concurrent batches spent their time sleeping on each other's locks (measured in one process: 4
 * concurrent callers stored about half as many reviews per second as 1). Across processes they
 * still run side by side.
 */
const writeTurns = new WriteTurns();

async function submitBatch(deps: CollectionServices, tenantId: string, inputs: readonly ReviewInput[], requestId: string | undefined, now: Date, turn: { release(): void }): Promise<SubmitResult> {
  if (inputs.length > MAX_BATCH) {
    throw new BadUserInputError(`submitReviews takes at most ${MAX_BATCH} reviews per call; got ${inputs.length}. Split the batch.`);
  }
  const rejected: SubmitResult['rejected'] = [];
  const valid: Array<{ index: number; review: CleanReview }> = [];
  inputs.forEach((input, index) => {
    try {
      valid.push({ index, review: cleanReviewInput(input, now) });
    } catch (error) {
      if (!(error instanceof ItemRejected)) throw error;
      rejected.push({ index, field: error.field, code: error.code, message: error.message });
    }
  });

  await deps.sources.ensureNamed(tenantId, valid.flatMap((v) => [v.review.source, ...(v.review.syndicatedFrom ? [v.review.syndicatedFrom] : [])]), now);
  const baseIdOf = (review: CleanReview) => (review.externalId === null ? null : reviewIdFor(tenantId, review.source, review.externalId));
  const [products, deletions] = await Promise.all([
    deps.products.findByIds(tenantId, valid.map((v) => v.review.productId)),
    deps.tombstones.deletionsOf(tenantId, valid.flatMap((v) => baseIdOf(v.review) ?? [])),
  ]);
  const byId = new Map<string, ReviewDocument>();
  const itemIds: Array<{ index: number; id: string }> = [];
  for (const { index, review } of valid) {
    if (!products.has(review.productId)) {
      rejected.push({ index, field: 'productId', code: 'UNKNOWN_PRODUCT', message: `no product with id ${review.productId}` });
      continue;
    }
    // After a deletion the same source + externalId is a new incarnation, with an id of its own.
    const incarnation = deletions.get(baseIdOf(review) ?? '') ?? 0;
    const id = reviewIdFor(tenantId, review.source, review.externalId, incarnation);
    if (!byId.has(id)) byId.set(id, { _id: id, tenantId, ...review, ...(incarnation > 0 ? { incarnation } : {}), receivedAt: now });
    itemIds.push({ index, id });
  }

  const docs = [...byId.values()];
  await assessNewReviews(deps, tenantId, docs);
  // one outbox entry for the whole batch: one insert and one delete per call, not per review
  const pending = await deps.outbox.addSubmittedBatch(tenantId, docs.map((doc) => doc._id), now);
  const existing = await deps.reviews.insertNew(docs);
  // A resubmitted review publishes what was stored first, not the new payload.
  const stored = existing.size > 0 ? await deps.reviews.findByIds(tenantId, [...existing]) : new Map<string, ReviewDocument>();
  const toPublish = docs.map((doc) => stored.get(doc._id) ?? doc);
  await recordChanges(deps, tenantId, docs.filter((doc) => !existing.has(doc._id)).map((doc) => ({ kind: 'CREATED' as const, reviewId: doc._id, productId: doc.productId, revision: 1 })), now);
  // A resubmission with changed content is an edit of the stored review (services/review-edits.ts).
  const edits = await applyEdits(deps, tenantId, new Map(toPublish.map((doc) => [doc._id, doc])), editRequests(inputs, valid, itemIds), products, requestId, now);
  await deps.reviews.removeResubmissionEntries(tenantId, docs.filter((doc) => existing.has(doc._id)));
  turn.release();
  const { published, failed } = await deps.publisher.publishMany(toPublish.map((doc) => submittedEvent(deps.topics, doc, products.get(doc.productId), requestId)));
  await deps.outbox.settleSubmittedBatch(pending, published);
  if (failed.length > 0) deps.log.warn({ failed: failed.length, reason: failed[0]?.error }, 'review events not published; the sweeper will retry');

  const publishedIds = new Set(published);
  const accepted: AcceptedReview[] = [];
  const seen = new Set<string>();
  const acceptedAs = (index: number, id: string): AcceptedReview => ({ index, id, duplicate: existing.has(id) || seen.has(id), revision: edits.get(id)?.revision ?? stored.get(id)?.revision ?? 1, edited: edits.get(id)?.edited ?? false });
  for (const { index, id } of itemIds) {
    const edit = edits.get(id);
    if (edit?.rejection) {
      rejected.push({ index, ...edit.rejection });
    } else if (publishedIds.has(submittedEventId(id)) && (edit?.published ?? true)) {
      accepted.push(acceptedAs(index, id));
    } else {
      const resubmit = byId.get(id)?.externalId === null ? 'do not resubmit it: without an externalId a resubmission is a new review' : 'resubmitting it with the same source and externalId is safe';
      rejected.push({ index, field: null, code: 'NOT_PUBLISHED', message: `review ${id} is stored but its event is not on the bus yet; it will be published automatically, and ${resubmit}`, awaiting: acceptedAs(index, id) });
    }
    seen.add(id);
  }
  rejected.sort((a, b) => a.index - b.index);
  return { accepted, rejected };
}
