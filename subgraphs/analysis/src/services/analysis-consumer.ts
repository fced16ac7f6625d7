import type { Bus, RunningConsumer } from '../../../../lib/bus/index.js';
import type { ReviewToAnalyse } from '../models/analysis.js';
import { analyseBatch, type AnalyserDeps } from './review-analyser.js';
import { reviewToAnalyse } from './review-event.js';

export const ANALYSIS_CONSUMER = 'analysis';

/** Joins the `analysis` durable consumer: every worker process started this way competes for the same messages. */
export function startAnalysisConsumer(bus: Bus, deps: AnalyserDeps, opts: { batchSize: number; maxDeliver: number; ackWaitMs?: number; backoffMs?: number[] }): Promise<RunningConsumer> {
  return bus.consume<unknown>({
    stream: deps.topics.stream.name,
    durable: ANALYSIS_CONSUMER,
    filterSubjects: [deps.topics.submitted, deps.topics.reanalysisRequested],
    maxDeliver: opts.maxDeliver,
    ackWaitMs: opts.ackWaitMs,
    backoffMs: opts.backoffMs,
    batch: {
      size: opts.batchSize,
      concurrency: 2,
      async handler(items) {
        const results: Array<void | Error> = new Array(items.length).fill(undefined);
        const parsed: Array<{ index: number; review: ReviewToAnalyse }> = [];
        items.forEach((item, index) => {
          try {
            parsed.push({ index, review: reviewToAnalyse(item.event) });
          } catch (error) {
            results[index] = error as Error;
          }
        });
        const started = performance.now();
        const outcomes = await analyseBatch(deps, parsed.map((p) => p.review));
        deps.log.debug({ items: items.length, ms: Math.round(performance.now() - started) }, 'batch analysed');
        parsed.forEach(({ index }, i) => { results[index] = outcomes[i]; });
        return results;
      },
    },
  });
}
