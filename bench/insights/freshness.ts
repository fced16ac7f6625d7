/**
 * Event-to-insight freshness: reviews arrive at a steady rate (their `review.submitted` and
 * `review.analyzed` published together, stamped at that moment; collection's store is left out), spread
 * over a few products; a poller reads those products' insights every POLL_MS (the read the
 * subgraph serves) and notes, per review, when its product's counts first include it. The lag is
 * that moment minus the `review.analyzed` event's timestamp.
 */
import { percentile } from './product-page.js';
import { TENANT, type ProductStore } from './product-store.js';
import { benchReview, countsAsAnalyzed, type BenchReview } from './review-events.js';

const POLL_MS = 100;
const TICK_MS = 100;
const DRAIN_MS = 120_000;

/** Lags in ms from the `review.analyzed` timestamp; `fromAck*`: from the moment JetStream acknowledged the publish. */
export interface Freshness { reviews: number; rate: number; p50: number; p99: number; max: number; fromAckP50: number; fromAckP99: number }

/** A review waiting to show in its product's counts; `at` is its `review.analyzed` timestamp once published. */
interface Waiting { reviews: number; analyzed: number; at: number; publishedAt: number }

export async function freshness(store: ProductStore, opts: { rate: number; seconds: number; products: number }): Promise<Freshness> {
  const productIds = [];
  for (let i = 0; i < opts.products; i++) productIds.push(await store.productId(`LAG-${i}`));
  const waiting = new Map<string, Waiting[]>(productIds.map((id) => [id, []]));
  const placed = new Map(productIds.map((id) => [id, { ...store.expected.get(id)! }]));
  const lags: number[] = [];
  const fromAck: number[] = [];
  let publishing = true;

  const poller = (async () => {
    const deadline = () => !publishing && Date.now() > drainUntil;
    let drainUntil = Infinity;
    while (!deadline()) {
      if (!publishing && drainUntil === Infinity) drainUntil = Date.now() + DRAIN_MS;
      const started = Date.now();
      const found = await store.insights.findByProductIds(TENANT, productIds);
      const seen = Date.now();
      for (const [id, queue] of waiting) {
        const doc = found.get(id);
        if (!doc) continue;
        while (queue.length > 0 && queue[0]!.at !== Infinity && queue[0]!.reviews <= doc.reviewCount && queue[0]!.analyzed <= doc.analyzedCount) {
          const done = queue.shift()!;
          lags.push(seen - done.at);
          fromAck.push(seen - done.publishedAt);
        }
      }
      if (!publishing && [...waiting.values()].every((q) => q.length === 0)) return;
      await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (Date.now() - started))));
    }
    throw new Error(`${[...waiting.values()].reduce((n, q) => n + q.length, 0)} reviews not in their insights ${DRAIN_MS / 1000} s after the last was published`);
  })();

  const perTick = (opts.rate * TICK_MS) / 1000;
  const ticks = Math.round((opts.seconds * 1000) / TICK_MS);
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  let written = 0;
  try {
    for (let tick = 0; tick < ticks; tick++) {
      const due = started + tick * TICK_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      const reviews: BenchReview[] = [];
      const entries: Waiting[] = [];
      for (let k = Math.round(tick * perTick); k < Math.round((tick + 1) * perTick); k++) {
        const productId = productIds[written++ % productIds.length]!;
        reviews.push(benchReview(store.takeIndex(), TENANT, productId, { now: new Date(), spreadDays: 1 }));
        // what the product's counts reach with this review, in the order they are published
        const counts = placed.get(productId)!;
        counts.reviews++;
        if (countsAsAnalyzed(reviews.at(-1)!)) counts.analyzed++;
        const entry = { ...counts, at: Infinity, publishedAt: Infinity };
        waiting.get(productId)!.push(entry);
        entries.push(entry);
      }
      // A tick does not wait for the one before: the rate holds while a publish is slow.
      inFlight.push(store.write(reviews, { store: false }).then((published) => {
        const acked = Date.now();
        for (const [i, { analyzedAt }] of published.entries()) Object.assign(entries[i]!, { at: analyzedAt, publishedAt: acked });
      }));
    }
    await Promise.all(inFlight);
  } finally {
    publishing = false;
  }
  const elapsed = (performance.now() - started) / 1000;
  await poller;
  lags.sort((a, b) => a - b);
  fromAck.sort((a, b) => a - b);
  return { reviews: written, rate: written / elapsed, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1)!, fromAckP50: percentile(fromAck, 50), fromAckP99: percentile(fromAck, 99) };
}
