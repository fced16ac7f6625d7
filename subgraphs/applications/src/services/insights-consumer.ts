import type { Bus, EventEnvelope, RunningConsumer } from '../../../../lib/bus/index.js';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import { countedReview, reviewStateId, stateVersionId, type ReviewFacts, type ReviewStateDocument } from '../models/review-state.js';
import type { InsightsDocument } from '../models/insights.js';
import type { TrendMonthDocument } from '../models/trend-month.js';
import type { InsightsRepository, ProductChange } from '../repositories/insights-repository.js';
import { ReviewStateRepository } from '../repositories/review-state-repository.js';
import type { AlertRepository } from '../repositories/alert-repository.js';
import { BoundedCache } from '../repositories/bounded-cache.js';
import { changeReachesAlerts } from './alert-detection.js';
import { evaluateAlerts, type WrittenAggregates } from './alert-evaluator.js';
import type { AlertEvents } from './alert-events.js';
import { rebuildStatus } from './insights-rebuild.js';
import { reviewEventFacts, type ReviewEventFacts } from './review-event-facts.js';

export const APPLICATIONS_CONSUMER = 'applications';
const MAX_ATTEMPTS = 30;
/**
 * A dead-lettered event is a review missing from an insight, so deliveries that died with the process
 * (a batch holds up to 256 of them) may be many: redelivery repairs them, and each restart of a process
 * killed by one event is already paced and capped by its supervisor.
 */
export const INSIGHTS_MAX_DELIVERIES = 500;
/**
 * Events applied together. A batch costs a few commands per product and month it touches and a few
 * for the whole batch, so a larger one counts more events per command when a backlog waits (a batch
 * never waits to fill: it takes what has arrived).
 */
const BATCH_SIZE = 512;

/** `states` defaults to the review states beside `insights` in the same database. */
export interface InsightsConsumerDeps { insights: InsightsRepository; states?: ReviewStateRepository; alerts?: AlertRepository; alertEvents?: AlertEvents; topics: ReviewTopics; log: Logger }

interface Parsed { index: number; tenantId: string; facts: ReviewEventFacts }

/** One entry per event (an Error to retry it), the insights and months written, and the changes folded. */
export interface AppliedBatch { results: Array<void | Error>; written: WrittenAggregates; folded: ProductChange[] }

/** Products whose alerts were evaluated today, per process (each about a hundred bytes). */
const EVALUATED_PRODUCTS = 50_000;

const sameFacts = (a: ReviewFacts, b: ReviewFacts) => a.deleted === b.deleted && JSON.stringify(a.submitted) === JSON.stringify(b.submitted) && JSON.stringify(a.analysis) === JSON.stringify(b.analysis) && JSON.stringify(a.moderation ?? null) === JSON.stringify(b.moderation ?? null);

/**
 * Applies one batch of review events, exactly once in effect:
 * 1. each review's facts move forward as a new insert-only version of its state, which records
 *    the change of what the review contributes (from, to), keyed by that version;
 * 2. every change of those reviews not yet marked applied is folded into the product's insights
 *    and the months of daily buckets it touches (each aggregate skips keys it already holds);
 * 3. the folded changes are marked applied.
 * A crash anywhere is repaired by the redelivery: step 1 finds the facts already there (no new
 * version), step 2 skips what the aggregates already hold, step 3 marks. Returns one entry per
 * item: an Error to retry it (or dead-letter it when it is malformed or contradictory).
 */
export async function applyReviewEvents(deps: { insights: InsightsRepository; states: ReviewStateRepository }, events: readonly EventEnvelope<unknown>[], lock = new KeyedLock(), now = new Date()): Promise<Array<void | Error>> {
  return (await applyReviewBatch(deps, events, lock, now)).results;
}

/** `applyReviewEvents`, with the insights and months it wrote (for the alert evaluation that follows). */
export async function applyReviewBatch(deps: { insights: InsightsRepository; states: ReviewStateRepository }, events: readonly EventEnvelope<unknown>[], lock = new KeyedLock(), now = new Date()): Promise<AppliedBatch> {
  const results: Array<void | Error> = events.map(() => undefined);
  const folded: ProductChange[] = [];
  const written = { products: new Map<string, InsightsDocument>(), months: new Map<string, TrendMonthDocument>() };
  const groups = new Map<string, Parsed[]>();
  events.forEach((event, index) => {
    try {
      const facts = reviewEventFacts(event, event.type);
      if (!facts) return;
      const id = reviewStateId(event.tenantId, facts.productId, facts.reviewId);
      const group = groups.get(id);
      if (group) group.push({ index, tenantId: event.tenantId, facts });
      else groups.set(id, [{ index, tenantId: event.tenantId, facts }]);
    } catch (error) {
      results[index] = error as Error;
    }
  });
  const tenants = new Set([...groups.values()].map((g) => g[0]!.tenantId));
  const tenantOf = (id: string) => groups.get(id)![0]!.tenantId;

  // The versions known of each review: the latest this process applied, none for a first submission
  // (the insert of version 1 checks both), or else read. A review whose insert finds the version
  // taken is read and tried again.
  const known = new Map<string, ReviewStateDocument[]>();
  const read = new Set<string>();
  const unread: string[] = [];
  for (const [id, group] of groups) {
    const latest = deps.states.known.get(id);
    if (latest && latest.tenantId === group[0]!.tenantId) known.set(id, [latest]);
    else if (group[0]!.facts.first) known.set(id, []);
    else unread.push(id);
  }
  const readVersions = async (ids: readonly string[]) => {
    for (const tenantId of tenants) {
      const ofTenant = ids.filter((id) => tenantOf(id) === tenantId);
      if (ofTenant.length === 0) continue;
      for (const [id, versions] of await deps.states.versions(tenantId, ofTenant)) known.set(id, versions);
    }
    for (const id of ids) read.add(id);
  };
  await readVersions(unread);

  // Most events move a review forward from what is known: insert all those versions in one call.
  const inserted = new Set<string>();
  const tryInsert = async (ids: readonly string[]): Promise<string[]> => {
    const attempts = ids.map((id) => ({ id, next: nextVersion(id, groups.get(id)!, known.get(id) ?? [], results) })).filter((t) => t.next !== null);
    const duplicates = await deps.states.insertVersions(attempts.map((t) => t.next!));
    const taken: string[] = [];
    for (const [i, t] of attempts.entries()) {
      if (duplicates.has(i)) taken.push(t.id);
      else {
        known.set(t.id, [...(known.get(t.id) ?? []), t.next!]);
        inserted.add(t.next!._id);
      }
    }
    return taken;
  };
  const taken = await tryInsert([...groups.keys()]);
  // Those whose version another writer made (or whose guess was wrong) are read and tried once more together, then one by one.
  if (taken.length > 0) await readVersions(taken);
  const retry = new Set(taken.length > 0 ? await tryInsert(taken) : []);
  await Promise.all([...groups].filter(([id]) => retry.has(id)).map(([id, group]) => lock.run(id, async () => {
    try {
      known.set(id, await advanceState(deps.states, id, group, [], results, true));
    } catch (error) {
      known.delete(id);
      for (const { index } of group) results[index] ??= error as Error;
    }
  })));

  let done = false;
  try {
    for (const tenantId of tenants) {
      const ids = [...groups.keys()].filter((id) => tenantOf(id) === tenantId);
      // A version inserted here has not been folded anywhere; one that was read may have been (a crash after the fold).
      const checked = ids.filter((id) => read.has(id)).flatMap((id) => known.get(id) ?? []).filter((v) => v.change && !inserted.has(v._id));
      const applied = await deps.states.appliedOf(tenantId, checked.map((v) => v._id));
      const fresh = ids.flatMap((id) => known.get(id) ?? []).filter((v) => v.change && inserted.has(v._id));
      const pending = [...checked.filter((v) => !applied.has(v._id)), ...fresh];
      const changes: ProductChange[] = pending.map((v) => ({ ...v.change!, tenantId, productId: v.productId }));
      const done = await deps.insights.applyChanges(changes, now);
      folded.push(...changes);
      for (const [id, doc] of done.products) written.products.set(id, doc);
      for (const [id, doc] of done.months) written.months.set(id, doc);
      await deps.states.markApplied(tenantId, pending.map((v) => v._id));
    }
    done = true;
  } catch (error) {
    for (const group of groups.values()) for (const { index } of group) results[index] ??= error as Error;
  }
  // Only a state whose every change is folded and marked may be built on without reading.
  for (const id of groups.keys()) {
    const latest = known.get(id)?.at(-1);
    if (done && latest) deps.states.known.set(id, latest);
    else deps.states.known.delete(id);
  }
  return { results, written, folded };
}

/** The version a group of events makes from the latest of `versions`, or null when they change no fact. */
function nextVersion(id: string, group: Parsed[], versions: ReviewStateDocument[], results: Array<void | Error>): ReviewStateDocument | null {
  const { tenantId } = group[0]!;
  const { reviewId, productId } = group[0]!.facts;
  const latest = versions.at(-1);
  const base: ReviewFacts = latest ?? { submitted: null, analysis: null, deleted: false };
  let facts: ReviewFacts = { submitted: base.submitted, analysis: base.analysis, deleted: base.deleted, ...(base.moderation ? { moderation: base.moderation } : {}) };
  for (const { index, facts: change } of group) {
    try {
      facts = change.change(facts);
      results[index] = undefined;
    } catch (error) {
      results[index] = error as Error;
    }
  }
  if (sameFacts(facts, base)) return null;
  const version = (latest?.version ?? 0) + 1;
  const from = countedReview(reviewId, base);
  const to = countedReview(reviewId, facts);
  const change = JSON.stringify(from) === JSON.stringify(to) ? null : { key: `${reviewId}:${version}`, from, to };
  return { _id: stateVersionId(id, version), stateId: id, tenantId, productId, reviewId, version, ...facts, change };
}

async function advanceState(states: ReviewStateRepository, id: string, group: Parsed[], loaded: ReviewStateDocument[], results: Array<void | Error>, reload = false): Promise<ReviewStateDocument[]> {
  let versions = loaded;
  const { tenantId } = group[0]!;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0 || reload) versions = (await states.versions(tenantId, [id])).get(id) ?? [];
    const next = nextVersion(id, group, versions, results);
    if (!next) return versions;
    if (await states.insertVersion(next)) return [...versions, next];
  }
  throw new Error(`review state ${id} kept changing under concurrent writers; the events will be retried`);
}

/** Keeps product insights current from review events, through the `applications` durable consumer. */
export function startInsightsConsumer(bus: Bus, deps: InsightsConsumerDeps, opts: { maxDeliver?: number; maxDeliveries?: number; ackWaitMs?: number; backoffMs?: number[] } = {}): Promise<RunningConsumer> {
  const lock = new KeyedLock();
  const repos = { insights: deps.insights, states: deps.states ?? new ReviewStateRepository(deps.insights.database) };
  let rebuildMarker: string | null | undefined;
  const evaluated = new BoundedCache<string, string>(EVALUATED_PRODUCTS);
  return bus.consume<unknown>({
    stream: deps.topics.stream.name,
    durable: APPLICATIONS_CONSUMER,
    filterSubjects: [deps.topics.submitted, deps.topics.updated, deps.topics.analyzed, deps.topics.deleted, deps.topics.moderated],
    maxDeliver: opts.maxDeliver,
    maxDeliveries: opts.maxDeliveries ?? INSIGHTS_MAX_DELIVERIES,
    ackWaitMs: opts.ackWaitMs,
    backoffMs: opts.backoffMs,
    maxMessages: BATCH_SIZE,
    batch: {
      size: BATCH_SIZE,
      async handler(items) {
        // A rebuild rewrites whole products: hold the batch (the bus keeps it ours with in-progress heartbeats) until it is done,
        // and forget the documents this process remembers once any rebuild has written since the last batch.
        for (;;) {
          const rebuild = await rebuildStatus(repos.insights.database);
          if (rebuild.marker !== rebuildMarker) repos.insights.forgetKnown();
          rebuildMarker = rebuild.marker;
          if (!rebuild.running) break;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
        const events = items.map((i) => i.event);
        const batch = await applyReviewBatch(repos, events, lock);
        if (deps.alerts) await evaluateTouched({ insights: deps.insights, alerts: deps.alerts, events: deps.alertEvents }, events, batch, evaluated, deps.log);
        return batch.results;
      },
    },
  });
}

/**
 * Re-evaluates the alerts of the products a batch changed. A product evaluated earlier today whose
 * changes here reach nothing its alerts see (reviews written before the windows, without negative
 * mentions) is left as it is: the evaluation would find what the last one found. A failure here is
 * logged, not retried: the counts are in, and the product's next event evaluates its signals again.
 */
async function evaluateTouched(repos: { insights: InsightsRepository; alerts: AlertRepository; events?: AlertEvents }, events: readonly EventEnvelope<unknown>[], batch: AppliedBatch, evaluated: BoundedCache<string, string>, log: Logger): Promise<void> {
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const key = (tenantId: string, productId: string) => `${tenantId}\u0000${productId}`;
  const reaching = new Set(batch.folded.filter((c) => changeReachesAlerts(c, now)).map((c) => key(c.tenantId, c.productId)));
  const touched = new Map<string, { tenantId: string; productId: string }>();
  events.forEach((event, i) => {
    const productId = (event.data as { productId?: unknown } | null)?.productId;
    if (batch.results[i] !== undefined || typeof productId !== 'string') return;
    const k = key(event.tenantId, productId);
    if (reaching.has(k) || evaluated.get(k) !== today) touched.set(k, { tenantId: event.tenantId, productId });
  });
  await Promise.all([...touched].map(async ([k, { tenantId, productId }]) => {
    try {
      await evaluateAlerts(repos, tenantId, productId, now, batch.written);
      evaluated.set(k, today);
    } catch (error) {
      evaluated.delete(k);
      log.warn({ err: error, productId }, 'alert evaluation failed; the next event of the product evaluates again');
    }
  }));
}
