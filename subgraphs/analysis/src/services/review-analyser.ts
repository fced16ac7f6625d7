import { newEvent, type Bus, type PublishItem } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import { mentionKeys, resultFields, REVIEW_ANALYZED, type AnalysisDocument, type ReviewAnalyzedData, type ReviewToAnalyse } from '../models/analysis.js';
import type { Analyzer, Taxonomy } from '../nlp/index.js';
import type { AnalysisRepository } from '../repositories/analysis-repository.js';
import type { MentionRepository, MentionSetDocument } from '../repositories/mention-repository.js';
import type { ReviewStatus, StatusChange } from '../models/review-visibility.js';

export interface AnalyserDeps {
  analyses: AnalysisRepository;
  mentions: MentionRepository;
  analyzer: Analyzer;
  /** Tenants' own aspect terms per product category. */
  taxonomies: { extensionsFor(tenantId: string, category: string | null): Promise<Taxonomy> };
  publisher: Pick<Bus, 'publishMany'>;
  topics: ReviewTopics;
  log: Logger;
}

/** Event id fixed per (review, revision): republishing after a crash is deduplicated by the bus. */
export function analyzedEventId(reviewId: string, revision: number): string {
  return `${REVIEW_ANALYZED}:${reviewId}:${revision}`;
}

function analyzedEvent(topics: ReviewTopics, doc: AnalysisDocument, reviewStatus: ReviewStatus, id = analyzedEventId(doc._id, doc.revision)): PublishItem {
  const data: ReviewAnalyzedData = {
    reviewId: doc._id,
    productId: doc.productId,
    status: doc.status,
    label: doc.sentiment?.label ?? null,
    score: doc.sentiment?.score ?? null,
    previousLabel: doc.previousLabel,
    revision: doc.revision,
    reviewRevision: doc.reviewRevision ?? 1,
    modelVersion: doc.modelVersion,
    aspects: doc.aspects.map((a) => ({ aspect: a.aspect, polarity: a.polarity, score: a.score, snippet: a.snippet, start: a.start, end: a.end })),
    reviewStatus,
  };
  return { subject: topics.analyzed, event: newEvent(REVIEW_ANALYZED, doc.tenantId, data, { id }) };
}

/** A result is current when the running model made it; redeliveries and re-analysis requests for it change nothing. */
function isCurrent(doc: AnalysisDocument, modelVersion: string): boolean {
  // A deleted review stays deleted: a late or redelivered event for it changes nothing.
  return (doc.modelVersion === modelVersion && doc.status !== 'PENDING') || doc.status === 'DELETED';
}

type Outcome = void | Error;

/** Longest stretch of analysis between two turns of the event loop. */
const BUILD_SLICE_MS = 5;

interface ReviewRef { tenantId: string; reviewId: string }

/**
 * How a batch turns into stored results: `build` makes the first result of a review, `settled`
 * says a stored result needs no new revision.
 */
interface ResultPlan<I extends ReviewRef> {
  build(item: I): AnalysisDocument;
  settled(before: AnalysisDocument, item: I): boolean;
}

/**
 * Stores one current result per review, then its mention keys, then publishes `review.analyzed`.
 * Every step is safe to repeat: a first result is an insert (a twin loses on the unique `_id`), a
 * new revision replaces only the revision it read, a review's mention keys are one document that
 * only a newer revision replaces, and the event id is fixed per revision. Writes go out in as few
 * calls as possible, since each is a transaction (and an fsync) on the embedded FerretDB. Returns
 * one entry per item: an Error to retry it.
 */
async function storeResults<I extends ReviewRef>(deps: AnalyserDeps, items: readonly I[], plan: ResultPlan<I>): Promise<Outcome[]> {
  const results: Outcome[] = new Array(items.length).fill(undefined);
  const fail = (index: number, error: unknown) => { results[index] = error instanceof Error ? error : new Error(String(error)); };

  // Most reviews are new: try their first result as an insert, and look at what is stored only for the rest.
  const firsts: Array<{ index: number; doc: AnalysisDocument }> = [];
  let sliceStarted = performance.now();
  for (const [index, item] of items.entries()) {
    try {
      firsts.push({ index, doc: plan.build(item) });
    } catch (error) {
      fail(index, error);
    }
    // The engine is synchronous: give the event loop a turn every few milliseconds, so the writes,
    // publishes and acks of the other batch in flight move on while this one is analysed.
    if (performance.now() - sliceStarted > BUILD_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
  // `inserted`: first results stored by this call; `current`: every item's current result
  const inserted: Array<{ index: number; doc: AnalysisDocument }> = [];
  const current: Array<{ index: number; doc: AnalysisDocument }> = [];
  let stored: typeof firsts = [];
  try {
    const duplicates = await deps.analyses.insertFirstResults(firsts.map((f) => f.doc));
    for (const [i, first] of firsts.entries()) {
      if (duplicates.has(i)) stored.push(first);
      else { inserted.push(first); current.push(first); }
    }
  } catch (error) {
    for (const f of firsts) fail(f.index, error);
  }

  for (let round = 0; stored.length > 0 && round < 3; round++) {
    const existing = await loadExisting(deps, stored.map((s) => items[s.index]!));
    const retry: typeof stored = [];
    await Promise.all(stored.map(async ({ index, doc }) => {
      const before = existing.get(doc._id);
      if (!before) return retry.push({ index, doc });
      if (plan.settled(before, items[index]!)) return current.push({ index, doc: before });
      const next = asRevisionOf(doc, before);
      try {
        if (await deps.analyses.saveRevision(next, before.revision)) current.push({ index, doc: next });
        else retry.push({ index, doc });
      } catch (error) {
        fail(index, error);
      }
    }));
    stored = retry;
  }
  for (const { index, doc } of stored) fail(index, new Error(`analysis of ${doc._id} kept changing under concurrent writers`));

  // Mention keys: one insert for the first results; a replace for the rest, which covers a
  // redelivery after a crash between the analysis write and this one. Published reviews' keys go
  // into the published lists too. A status change handled meanwhile wrote its status before reading
  // the sets, and this reads the statuses again after writing them, so one of the two sees the other.
  const isInserted = new Set(inserted.map(({ index }) => index));
  let statuses = new Map<string, ReviewStatus>();
  try {
    statuses = await statusesOf(deps, current.map(({ doc }) => doc));
  } catch (error) {
    for (const { index } of current) fail(index, error);
  }
  const published = new Set([...statuses].filter(([, status]) => status === 'PUBLISHED').map(([id]) => id));
  try {
    await deps.mentions.addFirst(inserted.map(({ doc }) => mentionSet(doc)), published);
  } catch (error) {
    for (const { index } of inserted) fail(index, error);
  }
  const rewritten = current.filter(({ index }) => !isInserted.has(index));
  try {
    await deps.mentions.replaceMany(rewritten.map(({ doc }) => mentionSet(doc)), published);
  } catch (error) {
    for (const { index } of rewritten) fail(index, error);
  }
  try {
    const after = await statusesOf(deps, current.map(({ doc }) => doc));
    const moved = current.filter(({ doc }) => after.get(doc._id) !== statuses.get(doc._id)).map(({ doc }) => doc);
    for (const [tenantId, docs] of byTenant(moved)) await deps.mentions.applyStatuses(tenantId, new Map(docs.map((d) => [d._id, after.get(d._id)!])));
    statuses = after;
  } catch (error) {
    for (const { index } of current) fail(index, error);
  }

  const publishable = current.filter(({ index }) => results[index] === undefined);
  const { failed } = await deps.publisher.publishMany(publishable.map(({ doc }) => analyzedEvent(deps.topics, doc, statuses.get(doc._id) ?? 'PUBLISHED')));
  const failedIds = new Map(failed.map((f) => [f.id, f.error]));
  for (const { index, doc } of publishable) {
    const error = failedIds.get(analyzedEventId(doc._id, doc.revision));
    if (error !== undefined) results[index] = new Error(`review.analyzed not published: ${error}`);
  }
  return results;
}

/** Analyses a batch of reviews and stores one current analysis per review (see storeResults). */
export async function analyseBatch(deps: AnalyserDeps, items: readonly ReviewToAnalyse[], now = new Date()): Promise<Outcome[]> {
  // The status a review was submitted (or edited) with is change 0: any review.moderated outranks it.
  await deps.mentions.visibility.record(items.flatMap((i) => (i.status ? [{ reviewId: i.reviewId, tenantId: i.tenantId, status: i.status, moderation: 0 }] : [])));
  const extensions = new Map<string, Taxonomy>();
  await Promise.all([...new Set(items.map((i) => `${i.tenantId}|${i.productCategory ?? ''}`))].map(async (key) => {
    const [tenantId, category] = key.split('|') as [string, string];
    extensions.set(key, await deps.taxonomies.extensionsFor(tenantId, category || null));
  }));
  return storeResults(deps, items, {
    build: (item) => analyse(deps.analyzer, item, extensions.get(`${item.tenantId}|${item.productCategory ?? ''}`), now),
    // An edit's text (a newer review revision) replaces a current result; an older revision's never does.
    settled: (before, item) => {
      const stored = before.reviewRevision ?? 1;
      const incoming = item.revision ?? 1;
      return before.status === 'DELETED' || stored > incoming || (stored === incoming && isCurrent(before, deps.analyzer.modelVersion));
    },
  });
}

/** A deleted review's analysis becomes a tombstone revision: its mention keys go, and downstream moves its sentiment out. */
export function removeAnalyses(deps: AnalyserDeps, items: ReadonlyArray<ReviewRef & { productId: string }>, now = new Date()): Promise<Outcome[]> {
  return storeResults(deps, items, {
    build: (item) => ({
      _id: item.reviewId, tenantId: item.tenantId, productId: item.productId, productCategory: null, text: '', locale: null,
      reviewCreatedAt: now, status: 'DELETED', statusReason: 'the review was deleted', sentiment: null, aspects: [], language: null,
      languageConfidence: null, keyphrases: [], evidence: [], modelVersion: null, analyzedAt: now, revision: 1, previousLabel: null,
    }),
    settled: (before) => before.status === 'DELETED',
  });
}

function byTenant<T extends { tenantId: string }>(docs: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const doc of docs) groups.set(doc.tenantId, [...(groups.get(doc.tenantId) ?? []), doc]);
  return groups;
}

/** The moderation status of each result's review, as learned from the bus. */
async function statusesOf(deps: AnalyserDeps, docs: readonly AnalysisDocument[]): Promise<Map<string, ReviewStatus>> {
  const statuses = new Map<string, ReviewStatus>();
  for (const [tenantId, group] of byTenant(docs)) {
    for (const [id, status] of await deps.mentions.visibility.statusesOf(tenantId, group.map((d) => d._id))) statuses.set(id, status);
  }
  return statuses;
}

/**
 * Applies `review.moderated` changes: stores each status unless a later change is stored, then puts
 * the reviews' mention keys into the published lists or takes them out, as the stored status says.
 * A publication of a review analysed while it was held publishes its current result again, now
 * with the review's status (one event per publication; downstream applies a revision once).
 */
export async function applyStatusChanges(deps: Pick<AnalyserDeps, 'mentions' | 'analyses' | 'publisher' | 'topics'>, changes: readonly StatusChange[]): Promise<void> {
  await deps.mentions.visibility.record(changes);
  const republish: PublishItem[] = [];
  for (const [tenantId, group] of byTenant(changes)) {
    const statuses = await deps.mentions.visibility.statusesOf(tenantId, group.map((c) => c.reviewId));
    await deps.mentions.applyStatuses(tenantId, statuses);
    const publications = group.filter((c) => c.status === 'PUBLISHED' && c.previousStatus !== 'PUBLISHED' && statuses.get(c.reviewId) === 'PUBLISHED');
    if (publications.length === 0) continue;
    const results = await deps.analyses.findByIds(tenantId, publications.map((c) => c.reviewId));
    for (const change of publications) {
      const doc = results.get(change.reviewId);
      if (!doc || doc.status === 'PENDING' || doc.status === 'DELETED') continue;
      republish.push(analyzedEvent(deps.topics, doc, 'PUBLISHED', `${analyzedEventId(doc._id, doc.revision)}:published:${change.moderation}`));
    }
  }
  const { failed } = await deps.publisher.publishMany(republish);
  if (failed.length > 0) throw new Error(`review.analyzed of ${failed.length} published reviews not published: ${failed[0]!.error}`);
}

async function loadExisting(deps: AnalyserDeps, items: readonly ReviewRef[]): Promise<Map<string, AnalysisDocument>> {
  const byTenant = new Map<string, string[]>();
  for (const item of items) byTenant.set(item.tenantId, [...(byTenant.get(item.tenantId) ?? []), item.reviewId]);
  const existing = new Map<string, AnalysisDocument>();
  for (const [tenantId, ids] of byTenant) for (const [id, doc] of await deps.analyses.findByIds(tenantId, ids)) existing.set(id, doc);
  return existing;
}

function analyse(analyzer: Analyzer, item: ReviewToAnalyse, taxonomyExtensions: Taxonomy | undefined, now: Date): AnalysisDocument {
  const result = analyzer.analyze(item.text, { locale: item.locale, category: item.productCategory, taxonomyExtensions: taxonomyExtensions && Object.keys(taxonomyExtensions).length > 0 ? taxonomyExtensions : undefined });
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
    revision: 1,
    previousLabel: null,
    reviewRevision: item.revision ?? 1,
  };
}

function mentionSet(doc: AnalysisDocument): MentionSetDocument {
  return { _id: doc._id, tenantId: doc.tenantId, keys: mentionKeys(doc.productId, doc.aspects), analyzedAt: doc.analyzedAt ?? new Date(0), revision: doc.revision };
}

/** The same result, numbered as the revision after `before` and remembering the label it replaces. */
function asRevisionOf(doc: AnalysisDocument, before: AnalysisDocument): AnalysisDocument {
  return { ...doc, revision: before.revision + 1, previousLabel: before.sentiment?.label ?? null };
}
