import type { Bus, RunningConsumer } from '../../../../lib/bus/index.js';
import type { ReviewToAnalyse } from '../models/analysis.js';
import type { StatusChange } from '../models/review-visibility.js';
import { analyseBatch, applyStatusChanges, removeAnalyses, type AnalyserDeps } from './review-analyser.js';
import { reviewDeleted, reviewModerated, reviewToAnalyse, type ReviewDeleted } from './review-event.js';

export const ANALYSIS_CONSUMER = 'analysis';

/** Joins the `analysis` durable consumer: every worker process started this way competes for the same messages. */
export function startAnalysisConsumer(bus: Bus, deps: AnalyserDeps, opts: { batchSize: number; batchesInFlight?: number; maxDeliver: number; ackWaitMs?: number; backoffMs?: number[] }): Promise<RunningConsumer> {
  return bus.consume<unknown>({
    stream: deps.topics.stream.name,
    durable: ANALYSIS_CONSUMER,
    filterSubjects: [deps.topics.submitted, deps.topics.updated, deps.topics.reanalysisRequested, deps.topics.deleted, deps.topics.moderated],
    maxDeliver: opts.maxDeliver,
    ackWaitMs: opts.ackWaitMs,
    backoffMs: opts.backoffMs,
    batch: {
      size: opts.batchSize,
      concurrency: opts.batchesInFlight ?? 3,
      async handler(items) {
        const results: Array<void | Error> = new Array(items.length).fill(undefined);
        const toAnalyse: Array<{ index: number; review: ReviewToAnalyse }> = [];
        const toRemove: Array<{ index: number; review: ReviewDeleted }> = [];
        const statusChanges: Array<{ index: number; change: StatusChange }> = [];
        items.forEach((item, index) => {
          try {
            if (item.event.type === 'review.deleted') toRemove.push({ index, review: reviewDeleted(item.event) });
            else if (item.event.type === 'review.moderated') statusChanges.push({ index, change: reviewModerated(item.event) });
            else toAnalyse.push({ index, review: reviewToAnalyse(item.event) });
          } catch (error) {
            results[index] = error as Error;
          }
        });
        const started = performance.now();
        const [analysed, removed, moderated] = await Promise.all([
          analyseBatch(deps, toAnalyse.map((p) => p.review)),
          toRemove.length > 0 ? removeAnalyses(deps, toRemove.map((p) => p.review)) : [],
          statusChanges.length > 0 ? applyStatusChanges(deps, statusChanges.map((p) => p.change)).then(() => undefined, (error: Error) => error) : undefined,
        ]);
        deps.log.debug({ items: items.length, ms: Math.round(performance.now() - started) }, 'batch analysed');
        toAnalyse.forEach(({ index }, i) => { results[index] = analysed[i]; });
        toRemove.forEach(({ index }, i) => { results[index] = removed[i]; });
        statusChanges.forEach(({ index }) => { results[index] = moderated; });
        return results;
      },
    },
  });
}
