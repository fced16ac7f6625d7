import type { PublishItem } from '../../../../lib/bus/index.js';
import type { CollectionServices } from './collection-services.js';
import { submittedEvent } from './review-events.js';

export interface SweepResult { republished: number; dropped: number; failed: number }

/**
 * Republishes events that were stored but never reached the bus (a crash or a bus outage between
 * the two). Event ids are fixed per review, so a double publish is stored once.
 */
export async function sweepOutbox(deps: CollectionServices, opts: { olderThanMs: number; limit?: number }, now = new Date()): Promise<SweepResult> {
  const stale = await deps.outbox.listStale(new Date(now.getTime() - opts.olderThanMs), opts.limit ?? 500);
  const result: SweepResult = { republished: 0, dropped: 0, failed: 0 };
  const publish = async (items: PublishItem[]) => {
    const { published, failed } = await deps.publisher.publishMany(items);
    await deps.outbox.remove(published);
    result.republished += published.length;
    result.failed += failed.length;
  };
  await publish(stale.flatMap((entry) => (entry.event ? [entry.event] : [])));
  const byTenant = new Map<string, typeof stale>();
  for (const entry of stale) if (!entry.event) byTenant.set(entry.tenantId, [...(byTenant.get(entry.tenantId) ?? []), entry]);
  for (const [tenantId, entries] of byTenant) {
    const reviews = await deps.reviews.findByIds(tenantId, entries.map((e) => e.reviewId));
    // No review behind an entry: the process died before storing it (the caller was never told it
    // was accepted), or it was deleted since (its deletion event says the rest).
    const orphans = entries.filter((e) => !reviews.has(e.reviewId)).map((e) => e._id);
    await deps.outbox.remove(orphans);
    result.dropped += orphans.length;
    const docs = [...reviews.values()];
    const products = await deps.products.findByIds(tenantId, docs.map((d) => d.productId));
    await publish(docs.map((doc) => submittedEvent(deps.topics, doc, products.get(doc.productId))));
  }
  if (result.republished + result.dropped + result.failed > 0) deps.log.info(result, 'outbox swept');
  return result;
}

/** Runs the sweeper on an interval until stopped. */
export function startOutboxSweeper(deps: CollectionServices, opts: { intervalMs: number; olderThanMs: number }): { stop(): Promise<void> } {
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
