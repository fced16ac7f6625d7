import type { PublishItem } from '../../../../lib/bus/index.js';
import { revisionOf } from '../models/review-revision.js';
import { submittedEventId } from '../models/review.js';
import type { CollectionServices } from './collection-services.js';
import type { AcceptedReview, SubmitResult } from './review-intake.js';
import { submittedEvent, updatedEvent } from './review-events.js';

/**
 * A stored `submitReviews` result as it stands now: its NOT_PUBLISHED items (stored, their events
 * not on the bus when the call answered) are published again from the stored reviews, and each
 * whose events the bus acknowledges is accepted as the call would have accepted it. The bus drops
 * an event it already has (the event id is fixed per review and revision), so publishing what the
 * sweeper may have published meanwhile changes nothing; nothing is written to the store. A review
 * deleted since is reported so; one whose edit is still being finished stays NOT_PUBLISHED.
 */
export async function withCurrentPublication(deps: CollectionServices, tenantId: string, result: SubmitResult, requestId?: string): Promise<SubmitResult> {
  const waiting = result.rejected.filter((r): r is typeof r & { awaiting: AcceptedReview } => r.code === 'NOT_PUBLISHED' && r.awaiting !== undefined);
  if (waiting.length === 0) return result;
  const ids = [...new Set(waiting.map((r) => r.awaiting.id))];
  const docs = await deps.reviews.findByIds(tenantId, ids);
  const [unfinished, products] = await Promise.all([
    deps.revisions.newerThan(tenantId, [...docs.values()]),
    deps.products.findByIds(tenantId, [...docs.values()].map((d) => d.productId)),
  ]);
  const items: PublishItem[] = [];
  const required = new Map<string, string[]>();
  for (const doc of docs.values()) {
    // An edit whose revision is stored but not yet shown: the sweeper finishes it, then it is published.
    if (unfinished.has(doc._id)) continue;
    const own = [submittedEvent(deps.topics, doc, products.get(doc.productId), requestId)];
    if (revisionOf(doc) > 1) own.push(updatedEvent(deps.topics, doc, products.get(doc.productId), requestId));
    items.push(...own);
    required.set(doc._id, own.map((item) => item.event.id));
  }
  const published = new Set(items.length > 0 ? (await deps.publisher.publishMany(items)).published : []);
  const onBus = new Set([...required].filter(([, eventIds]) => eventIds.every((id) => published.has(id))).map(([id]) => id));
  // The sweeper has nothing left to do for these submissions (an edit's entries it finishes itself).
  await deps.outbox.remove([...onBus].map(submittedEventId));

  const accepted = [...result.accepted];
  const rejected: SubmitResult['rejected'] = [];
  for (const r of result.rejected) {
    const id = r.code === 'NOT_PUBLISHED' ? r.awaiting?.id : undefined;
    if (id === undefined) rejected.push(r);
    else if (onBus.has(id)) accepted.push({ ...r.awaiting!, index: r.index });
    else if (!docs.has(id)) rejected.push({ index: r.index, field: null, code: 'REVIEW_DELETED', message: `review ${id} was stored by this call and has been deleted since` });
    else rejected.push(r);
  }
  accepted.sort((a, b) => a.index - b.index);
  return { accepted, rejected };
}
