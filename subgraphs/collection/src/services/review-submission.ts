import type { ReviewInput } from '../__generated__/resolvers-types.js';
import { reviewIdFor } from '../models/review.js';
import { cleanReviewInput } from '../validation/review-input.js';
import { ItemRejected, MAX_BATCH, type Rejection } from '../validation/rejection.js';
import type { CollectionServices } from './collection-services.js';
import { withIdempotencyKey, type IdempotencyOptions } from './idempotency.js';
import { withCurrentPublication } from './pending-publications.js';
import { submitReviews, type SubmitResult } from './review-intake.js';

/**
 * `submitReviews` as the API offers it: under an optional idempotency key (services/idempotency.ts),
 * whose retry reports the items stored but not yet published then as they stand now
 * (services/pending-publications.ts), with items that name the `revision` they edit refused when
 * there is no such review to edit.
 */
export function submitReviewsOnce(deps: CollectionServices, tenantId: string, inputs: readonly ReviewInput[], idempotencyKey: string | null | undefined, requestId?: string, options?: IdempotencyOptions): Promise<SubmitResult> {
  const replay = (stored: SubmitResult) => withCurrentPublication(deps, tenantId, stored, requestId);
  return withIdempotencyKey(deps.idempotency, tenantId, idempotencyKey, inputs, () => submitWithEditTargets(deps, tenantId, inputs, requestId), { ...options, replay });
}

async function submitWithEditTargets(deps: CollectionServices, tenantId: string, inputs: readonly ReviewInput[], requestId?: string, now = new Date()): Promise<SubmitResult> {
  if (inputs.length > MAX_BATCH || !inputs.some((i) => i.revision !== null && i.revision !== undefined)) return submitReviews(deps, tenantId, inputs, requestId, now);
  const refused = await editTargetRejections(deps, tenantId, inputs, now);
  if (refused.length === 0) return submitReviews(deps, tenantId, inputs, requestId, now);
  const refusedAt = new Set(refused.map((r) => r.index));
  const kept = inputs.flatMap((input, index) => (refusedAt.has(index) ? [] : [{ input, index }]));
  const result = await submitReviews(deps, tenantId, kept.map((k) => k.input), requestId, now);
  const original = (index: number) => kept[index]!.index;
  return {
    accepted: result.accepted.map((a) => ({ ...a, index: original(a.index) })),
    rejected: [...result.rejected.map((r) => ({ ...r, index: original(r.index) })), ...refused].sort((a, b) => a.index - b.index),
  };
}

/** Items naming `revision` whose review is not stored: refused with REVIEW_DELETED (it was deleted) or UNKNOWN_REVIEW. */
async function editTargetRejections(deps: CollectionServices, tenantId: string, inputs: readonly ReviewInput[], now: Date): Promise<Rejection[]> {
  const rejections: Rejection[] = [];
  const targets: Array<{ index: number; source: string; externalId: string; baseId: string }> = [];
  inputs.forEach((input, index) => {
    if (input.revision === null || input.revision === undefined) return;
    if (!Number.isInteger(input.revision) || input.revision < 1) {
      rejections.push({ index, field: 'revision', code: 'INVALID', message: `revision must be a revision number the review has (1 or more), got ${input.revision}` });
      return;
    }
    let clean;
    try {
      clean = cleanReviewInput(input, now);
    } catch (error) {
      if (error instanceof ItemRejected) return; // intake reports it
      throw error;
    }
    if (clean.externalId === null) {
      rejections.push({ index, field: 'externalId', code: 'REQUIRED', message: 'an edit names its review by source and externalId; this item has no externalId' });
      return;
    }
    targets.push({ index, source: clean.source, externalId: clean.externalId, baseId: reviewIdFor(tenantId, clean.source, clean.externalId) });
  });
  const deletions = await deps.tombstones.deletionsOf(tenantId, targets.map((t) => t.baseId));
  const ids = targets.map((t) => reviewIdFor(tenantId, t.source, t.externalId, deletions.get(t.baseId) ?? 0));
  const found = await deps.reviews.findByIds(tenantId, ids);
  targets.forEach((t, i) => {
    if (found.has(ids[i]!)) return;
    rejections.push((deletions.get(t.baseId) ?? 0) > 0
      ? { index: t.index, field: 'revision', code: 'REVIEW_DELETED', message: `the review of ${t.source} ${t.externalId} was deleted, so it cannot be edited; leave out revision to submit it again as a new review` }
      : { index: t.index, field: 'revision', code: 'UNKNOWN_REVIEW', message: `no review of ${t.source} ${t.externalId} is stored, so there is nothing to edit; leave out revision to submit it as new` });
  });
  return rejections;
}
