import { newEvent, type Bus } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import type { AnalysisRepository } from '../repositories/analysis-repository.js';
import { ANALYSIS_CONSUMER } from './analysis-consumer.js';

export interface ReanalysisDeps {
  analyses: AnalysisRepository;
  bus: Pick<Bus, 'publishMany' | 'consumerStats'>;
  topics: ReviewTopics;
  log: Logger;
}

export interface ReanalysisOptions {
  /** The model version results should end up with: the running workers' version. */
  targetVersion: string;
  /** Analyses read per page (one `_id` range read); the outdated ones among them are requested. */
  pageSize?: number;
  /** Upper bound on requests published per second. */
  maxPerSecond?: number;
  /** Pause while the analysis consumer has more than this many messages waiting, so new reviews never queue behind re-analysis. */
  maxPending?: number;
  onProgress?: (progress: { requested: number; lastId: string }) => void | Promise<void>;
  signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the workers to re-analyse every review whose analysis came from an older model, in the
 * background: throttled, and pausing while the queue is busy. A stopped run is resumed by running it
 * again: the request id is fixed per (review, target version), so a repeated request is stored once.
 */
export async function requestReanalysis(deps: ReanalysisDeps, options: ReanalysisOptions): Promise<{ requested: number; lastId: string | null }> {
  const pageSize = options.pageSize ?? 200;
  const maxPerSecond = options.maxPerSecond ?? 200;
  const maxPending = options.maxPending ?? 1_000;
  let afterId: string | null = null;
  let lastId: string | null = null;
  let requested = 0;
  while (!options.signal?.aborted) {
    const stats = await deps.bus.consumerStats(deps.topics.stream.name, ANALYSIS_CONSUMER);
    if (stats.pending > maxPending) {
      await sleep(500);
      continue;
    }
    const { outdated: page, nextAfterId } = await deps.analyses.pageOutdated(options.targetVersion, afterId, pageSize);
    const started = Date.now();
    if (page.length > 0) {
      const { failed } = await deps.bus.publishMany(page.map((doc) => ({
        subject: deps.topics.reanalysisRequested,
        event: newEvent('review.reanalysis-requested', doc.tenantId, {
          reviewId: doc._id,
          productId: doc.productId,
          productCategory: doc.productCategory,
          text: doc.text,
          locale: doc.locale,
          createdAt: doc.reviewCreatedAt.toISOString(),
          fromVersion: doc.modelVersion,
          revision: doc.reviewRevision ?? 1,
        }, { id: `reanalysis:${doc._id}:${options.targetVersion}` }),
      })));
      if (failed.length > 0) throw new Error(`${failed.length} re-analysis requests not published (${failed[0]!.error}); run it again to continue`);
      requested += page.length;
      lastId = page.at(-1)!._id;
      await options.onProgress?.({ requested, lastId });
    }
    if (nextAfterId === null) break;
    afterId = nextAfterId;
    const minimumMs = (page.length / maxPerSecond) * 1000;
    const elapsed = Date.now() - started;
    if (elapsed < minimumMs) await sleep(minimumMs - elapsed);
  }
  deps.log.info({ requested, lastId }, 're-analysis requests published');
  return { requested, lastId };
}
