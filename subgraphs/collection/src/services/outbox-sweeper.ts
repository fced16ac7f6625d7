import type { PublishItem } from '../../../../lib/bus/index.js';
import type { OutboxDocument } from '../repositories/outbox-repository.js';
import type { CollectionServices } from './collection-services.js';
import { removeReviews } from './review-deletion.js';
import { IDEMPOTENCY_CLEANUP_GRACE_MS } from '../models/idempotency-record.js';
import { recordChanges } from './change-feed.js';
import { submittedEvent } from './review-events.js';
import { finishEdits } from './review-edits.js';

export interface SweepResult { republished: number; dropped: number; failed: number }

/**
 * How long an entry whose review is not (yet) stored is kept. The entry is written before the review,
 * so a missing review may be an insert still in flight (driver reconnects, retries, SQLite's busy
 * wait); only once no insert can still land is the entry dropped. Well past the worst case of
 * those waits (about two minutes).
 */
export const DEFAULT_DROP_MISSING_AFTER_MS = 10 * 60_000;

export interface SweepOptions {
  /** Entries younger than this are left to the request that wrote them. */
  olderThanMs: number;
  /** Entries whose review is missing are dropped only when older than this (default {@link DEFAULT_DROP_MISSING_AFTER_MS}). */
  dropMissingAfterMs?: number;
  limit?: number;
}

/**
 * Republishes events that were stored but never reached the bus (a crash or a bus outage between
 * the two). Event ids are fixed per review, so a double publish is stored once.
 */
export async function sweepOutbox(deps: CollectionServices, opts: SweepOptions, now = new Date()): Promise<SweepResult> {
  const dropBefore = now.getTime() - Math.max(opts.olderThanMs, opts.dropMissingAfterMs ?? DEFAULT_DROP_MISSING_AFTER_MS);
  const { entries: stale, markers } = await deps.outbox.listStale(new Date(now.getTime() - opts.olderThanMs), opts.limit ?? 500, new Date(dropBefore));
  const result: SweepResult = { republished: 0, dropped: 0, failed: 0 };
  let waiting = 0;
  const publish = async (items: PublishItem[]) => {
    const { published, failed } = await deps.publisher.publishMany(items);
    await deps.outbox.remove(published);
    result.republished += published.length;
    result.failed += failed.length;
  };
  const deletions = stale.filter((entry) => entry.event?.subject === deps.topics.deleted);
  await finishDeletions(deps, deletions, now);
  await recordDeletionChanges(deps, deletions, now);
  await publish(stale.flatMap((entry) => (entry.event ? [entry.event] : [])));
  const edits = await finishEdits(deps, stale.filter((entry) => !entry.event && entry.revision !== undefined), dropBefore, now);
  result.republished += edits.republished;
  result.dropped += edits.dropped;
  result.failed += edits.failed;
  const byTenant = new Map<string, typeof stale>();
  for (const entry of stale) if (!entry.event && entry.revision === undefined) byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
  for (const [tenantId, entries] of byTenant) {
    const reviews = await deps.reviews.findByIds(tenantId, entries.map((e) => e.reviewId));
    // No review behind an entry: its insert failed (the caller was told so, never "accepted"), it was
    // deleted since (its deletion event says the rest), or its insert has not landed yet. Only the
    // last can still change, and only for a while: wait that out before dropping.
    const missing = entries.filter((e) => !reviews.has(e.reviewId));
    const orphans = missing.filter((e) => e.createdAt.getTime() < dropBefore);
    await deps.outbox.remove(orphans.map((e) => e._id));
    result.dropped += orphans.length;
    waiting += missing.length - orphans.length;
    if (orphans.length > 0) deps.log.warn({ tenantId, reviews: orphans.map((e) => e.reviewId).slice(0, 20), dropped: orphans.length }, 'outbox entries dropped: their reviews were never stored or were deleted');
    const docs = [...reviews.values()];
    const products = await deps.products.findByIds(tenantId, docs.map((d) => d.productId));
    // the request may have died before recording the creation: record it (twice at worst, never not)
    await recordChanges(deps, tenantId, docs.map((doc) => ({ kind: 'CREATED' as const, reviewId: doc._id, productId: doc.productId, revision: doc.revision ?? 1 })), now);
    await publish(docs.map((doc) => submittedEvent(deps.topics, doc, products.get(doc.productId))));
  }
  await deps.outbox.settleMarkers(markers);
  await deps.idempotency.deleteExpired(new Date(now.getTime() - IDEMPOTENCY_CLEANUP_GRACE_MS));
  if (result.republished + result.dropped + result.failed + waiting > 0) deps.log.info({ ...result, waiting }, 'outbox swept');
  return result;
}

/**
 * A deletion's entry is written before its review is deleted: if the request died in between, the
 * review is still listed, so finish deleting it before its event tells downstream it is gone.
 */
async function finishDeletions(deps: CollectionServices, entries: readonly OutboxDocument[], now: Date): Promise<void> {
  const byTenant = new Map<string, string[]>();
  for (const e of entries) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e.reviewId]);
  for (const [tenantId, ids] of byTenant) {
    const left = [...(await deps.reviews.findByIds(tenantId, ids)).values()];
    if (left.length === 0) continue;
    await removeReviews(deps, tenantId, left, now);
    deps.log.info({ tenantId, reviews: left.length }, 'outbox: finished deletions cut short');
  }
}

/** A deletion cut short before its change was recorded in the feed gets it now. */
async function recordDeletionChanges(deps: CollectionServices, entries: readonly OutboxDocument[], now: Date): Promise<void> {
  const byTenant = new Map<string, OutboxDocument[]>();
  for (const e of entries) byTenant.set(e.tenantId, [...(byTenant.get(e.tenantId) ?? []), e]);
  for (const [tenantId, group] of byTenant) {
    await recordChanges(deps, tenantId, group.map((e) => ({ kind: 'DELETED' as const, reviewId: e.reviewId, productId: String((e.event?.event.data as { productId?: unknown } | undefined)?.productId ?? ''), revision: null })), now);
  }
}

/** Runs the sweeper on an interval until stopped. */
export function startOutboxSweeper(deps: CollectionServices, opts: SweepOptions & { intervalMs: number }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepOutbox(deps, opts).catch((error) => deps.log.error({ err: error }, 'outbox sweep failed'));
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
