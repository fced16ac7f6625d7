import type { Bus, EventEnvelope, RunningConsumer } from '../../../../lib/bus/index.js';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import { countedReview, reviewStateId, stateVersionId, type ReviewFacts, type ReviewStateDocument } from '../models/review-state.js';
import type { InsightsRepository, ProductChange } from '../repositories/insights-repository.js';
import { ReviewStateRepository } from '../repositories/review-state-repository.js';
import type { AlertRepository } from '../repositories/alert-repository.js';
import { evaluateAlerts } from './alert-evaluator.js';
import type { AlertEvents } from './alert-events.js';
import { rebuildRunning } from './insights-rebuild.js';
import { reviewEventFacts, type ReviewEventFacts } from './review-event-facts.js';

export const APPLICATIONS_CONSUMER = 'applications';
const MAX_ATTEMPTS = 30;
/**
 * A dead-lettered event is a review missing from an insight, so deliveries that died with the process
 * (a batch holds up to 256 of them) may be many: redelivery repairs them, and each restart of a process
 * killed by one event is already paced and capped by its supervisor.
 */
export const INSIGHTS_MAX_DELIVERIES = 500;

/** `states` defaults to the review states beside `insights` in the same database. */
export interface InsightsConsumerDeps { insights: InsightsRepository; states?: ReviewStateRepository; alerts?: AlertRepository; alertEvents?: AlertEvents; topics: ReviewTopics; log: Logger }

interface Parsed { index: number; tenantId: string; facts: ReviewEventFacts }

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
  const results: Array<void | Error> = events.map(() => undefined);
  const groups = new Map<string, Parsed[]>();
  events.forEach((event, index) => {
    try {
      const facts = reviewEventFacts(event, event.type);
      if (!facts) return;
      const id = reviewStateId(event.tenantId, facts.productId, facts.reviewId);
      groups.set(id, [...(groups.get(id) ?? []), { index, tenantId: event.tenantId, facts }]);
    } catch (error) {
      results[index] = error as Error;
    }
  });
  const tenants = new Set([...groups.values()].map((g) => g[0]!.tenantId));
  const known = new Map<string, ReviewStateDocument[]>();
  for (const tenantId of tenants) {
    for (const [id, versions] of await deps.states.versions(tenantId, [...groups].filter(([, g]) => g[0]!.tenantId === tenantId).map(([id]) => id))) known.set(id, versions);
  }

  // Most events move a review forward from what was just read: insert all those versions in one
  // call; a review whose version another writer made first goes the one-by-one way below.
  const firstTry = [...groups].map(([id, group]) => ({ id, group, next: nextVersion(id, group, known.get(id) ?? [], results) }));
  const batch = firstTry.filter((t) => t.next !== null);
  const duplicates = await deps.states.insertVersions(batch.map((t) => t.next!));
  const retry = new Set(batch.filter((_, i) => duplicates.has(i)).map((t) => t.id));
  for (const [i, t] of batch.entries()) if (!duplicates.has(i)) known.set(t.id, [...(known.get(t.id) ?? []), t.next!]);
  await Promise.all([...groups].filter(([id]) => retry.has(id)).map(([id, group]) => lock.run(id, async () => {
    try {
      known.set(id, await advanceState(deps.states, id, group, [], results, true));
    } catch (error) {
      for (const { index } of group) results[index] ??= error as Error;
    }
  })));

  try {
    for (const tenantId of tenants) {
      const versions = [...groups.keys()].flatMap((id) => known.get(id) ?? []).filter((v) => v.tenantId === tenantId && v.change);
      const applied = await deps.states.appliedOf(tenantId, versions.map((v) => v._id));
      const pending = versions.filter((v) => !applied.has(v._id));
      const changes: ProductChange[] = pending.map((v) => ({ ...v.change!, tenantId, productId: v.productId }));
      await deps.insights.applyChanges(changes, now);
      await deps.states.markApplied(tenantId, pending.map((v) => v._id));
    }
  } catch (error) {
    for (const group of groups.values()) for (const { index } of group) results[index] ??= error as Error;
  }
  return results;
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
  return bus.consume<unknown>({
    stream: deps.topics.stream.name,
    durable: APPLICATIONS_CONSUMER,
    filterSubjects: [deps.topics.submitted, deps.topics.updated, deps.topics.analyzed, deps.topics.deleted, deps.topics.moderated],
    maxDeliver: opts.maxDeliver,
    maxDeliveries: opts.maxDeliveries ?? INSIGHTS_MAX_DELIVERIES,
    ackWaitMs: opts.ackWaitMs,
    backoffMs: opts.backoffMs,
    maxMessages: 128,
    batch: {
      size: 128,
      async handler(items) {
        // A rebuild rewrites whole products: hold the batch (the bus keeps it ours with in-progress heartbeats) until it is done.
        while (await rebuildRunning(repos.insights.database)) await new Promise((resolve) => setTimeout(resolve, 1_000));
        const events = items.map((i) => i.event);
        const results = await applyReviewEvents(repos, events, lock);
        if (deps.alerts) await evaluateTouched({ insights: deps.insights, alerts: deps.alerts, events: deps.alertEvents }, events, results, deps.log);
        return results;
      },
    },
  });
}

/**
 * Re-evaluates the alerts of the products a batch changed. A failure here is logged, not retried:
 * the counts are in, and the product's next event evaluates its signals again.
 */
async function evaluateTouched(repos: { insights: InsightsRepository; alerts: AlertRepository; events?: AlertEvents }, events: readonly EventEnvelope<unknown>[], results: Array<void | Error>, log: Logger): Promise<void> {
  const touched = new Map<string, { tenantId: string; productId: string }>();
  events.forEach((event, i) => {
    const productId = (event.data as { productId?: unknown } | null)?.productId;
    if (results[i] === undefined && typeof productId === 'string') touched.set(`${event.tenantId}\u0000${productId}`, { tenantId: event.tenantId, productId });
  });
  await Promise.all([...touched.values()].map(({ tenantId, productId }) => evaluateAlerts(repos, tenantId, productId).catch((error: Error) => log.warn({ err: error, productId }, 'alert evaluation failed; the next event of the product evaluates again'))));
}
