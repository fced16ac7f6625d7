import { newEvent, type Bus, type PublishItem } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import { mentionKeys, resultFields, REVIEW_ANALYZED, type AnalysisDocument, type ReviewAnalyzedData, type ReviewToAnalyse } from '../models/analysis.js';
import type { Analyzer } from '../nlp/index.js';
import type { AnalysisRepository } from '../repositories/analysis-repository.js';
import type { MentionRepository } from '../repositories/mention-repository.js';

export interface AnalyserDeps {
  analyses: AnalysisRepository;
  mentions: MentionRepository;
  analyzer: Analyzer;
  publisher: Pick<Bus, 'publishMany'>;
  topics: ReviewTopics;
  log: Logger;
}

/** Event id fixed per (review, revision): republishing after a crash is deduplicated by the bus. */
export function analyzedEventId(reviewId: string, revision: number): string {
  return `${REVIEW_ANALYZED}:${reviewId}:${revision}`;
}

function analyzedEvent(topics: ReviewTopics, doc: AnalysisDocument): PublishItem {
  const data: ReviewAnalyzedData = {
    reviewId: doc._id,
    productId: doc.productId,
    status: doc.status,
    label: doc.sentiment?.label ?? null,
    previousLabel: doc.previousLabel,
    revision: doc.revision,
    modelVersion: doc.modelVersion,
    aspects: doc.aspects.map((a) => ({ aspect: a.aspect, polarity: a.polarity })),
  };
  return { subject: topics.analyzed, event: newEvent(REVIEW_ANALYZED, doc.tenantId, data, { id: analyzedEventId(doc._id, doc.revision) }) };
}

/** A result is current when the running model made it; redeliveries and re-analysis requests for it change nothing. */
function isCurrent(doc: AnalysisDocument | undefined, modelVersion: string): boolean {
  return doc !== undefined && doc.modelVersion === modelVersion && doc.status !== 'PENDING';
}

/**
 * Analyses a batch of reviews and stores one current analysis per review. Every step is safe to
 * repeat: the revision check stops a second result, mention updates are set operations, and the
 * `review.analyzed` event id is fixed per revision. Returns one entry per item: an Error to retry it.
 */
export async function analyseBatch(deps: AnalyserDeps, items: readonly ReviewToAnalyse[], now = new Date()): Promise<Array<void | Error>> {
  const results: Array<void | Error> = new Array(items.length).fill(undefined);
  const byTenant = new Map<string, string[]>();
  for (const item of items) byTenant.set(item.tenantId, [...(byTenant.get(item.tenantId) ?? []), item.reviewId]);
  const existing = new Map<string, AnalysisDocument>();
  for (const [tenantId, ids] of byTenant) for (const [id, doc] of await deps.analyses.findByIds(tenantId, ids)) existing.set(id, doc);

  const current: Array<{ index: number; doc: AnalysisDocument }> = [];
  await Promise.all(items.map(async (item, index) => {
    try {
      const before = existing.get(item.reviewId);
      if (before && isCurrent(before, deps.analyzer.modelVersion)) {
        current.push({ index, doc: before });
        return;
      }
      const doc = analyse(deps.analyzer, item, before, now);
      const saved = await deps.analyses.saveRevision(doc, before?.revision ?? 0);
      if (!saved) {
        // Another worker stored a result first; publish whatever is current now.
        const winner = (await deps.analyses.findByIds(item.tenantId, [item.reviewId])).get(item.reviewId);
        if (!winner) throw new Error(`analysis of ${item.reviewId} vanished during a concurrent write`);
        current.push({ index, doc: winner });
        return;
      }
      current.push({ index, doc });
    } catch (error) {
      results[index] = error instanceof Error ? error : new Error(String(error));
    }
  }));

  await Promise.all(current.map(async ({ index, doc }) => {
    try {
      const keys = mentionKeys(doc.tenantId, doc.productId, doc.aspects);
      const stale = doc.previousMentionKeys.filter((key) => !keys.includes(key));
      await deps.mentions.remove(doc.tenantId, stale, doc._id);
      await deps.mentions.add(doc.tenantId, keys, doc._id, doc.analyzedAt ?? now);
    } catch (error) {
      results[index] = error as Error;
    }
  }));

  const publishable = current.filter(({ index }) => results[index] === undefined);
  const { failed } = await deps.publisher.publishMany(publishable.map(({ doc }) => analyzedEvent(deps.topics, doc)));
  const failedIds = new Map(failed.map((f) => [f.id, f.error]));
  for (const { index, doc } of publishable) {
    const error = failedIds.get(analyzedEventId(doc._id, doc.revision));
    if (error !== undefined) results[index] = new Error(`review.analyzed not published: ${error}`);
  }
  return results;
}

function analyse(analyzer: Analyzer, item: ReviewToAnalyse, before: AnalysisDocument | undefined, now: Date): AnalysisDocument {
  const result = analyzer.analyze(item.text, { locale: item.locale, category: item.productCategory });
  const createdAt = new Date(item.createdAt);
  return {
    _id: item.reviewId,
    tenantId: item.tenantId,
    productId: item.productId,
    productCategory: item.productCategory,
    text: item.text,
    locale: item.locale,
    reviewCreatedAt: Number.isNaN(createdAt.getTime()) ? now : createdAt,
    ...resultFields(result, now),
    revision: (before?.revision ?? 0) + 1,
    previousLabel: before?.sentiment?.label ?? null,
    previousMentionKeys: before ? mentionKeys(before.tenantId, before.productId, before.aspects) : [],
  };
}
