// Edits: a resubmission (same source + externalId) with changed content, through the real bus with
// the analysis worker and the insights consumer running.
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, RunningConsumer } from '../../lib/bus/index.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { createServer as createAnalysisServer } from '../../subgraphs/analysis/src/server.js';
import { startAnalysisConsumer } from '../../subgraphs/analysis/src/services/analysis-consumer.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { trendMonthId } from '../../subgraphs/applications/src/models/trend-month.js';
import { createServer as createApplicationsServer } from '../../subgraphs/applications/src/server.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { createServer as createCollectionServer } from '../../subgraphs/collection/src/server.js';
import { reviewListEntries } from '../../subgraphs/collection/src/models/lists.js';
import { contentOf, revisionId, updatedEventId } from '../../subgraphs/collection/src/models/review-revision.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type CollectionServer = Awaited<ReturnType<typeof createCollectionServer>>;
let collection: CollectionServer;
let analysis: Awaited<ReturnType<typeof createAnalysisServer>>;
let applications: Awaited<ReturnType<typeof createApplicationsServer>>;
const consumers: RunningConsumer[] = [];
let bus: Bus;
let topics: ReviewTopics;
let productId: string;
let otherProductId: string;

async function run(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const response = await collection.apollo.executeOperation({ query, variables }, { contextValue: collection.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id duplicate revision edited } rejected { index field code message } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) { id rating text title revision updatedAt createdAt } }`;

async function streamCount(): Promise<number> {
  const jsm = await jetstreamManager(bus.connection);
  return (await jsm.streams.info(topics.stream.name)).state.messages;
}

async function insights(product = productId) {
  const doc = await applications.insights.collection.findOne({ _id: insightsId('tenant-a', product) });
  return doc && { reviewCount: doc.reviewCount, ratings: doc.ratings, sentiment: doc.sentiment, analyzedCount: doc.analyzedCount, aspects: typeof doc.aspects === 'string' ? JSON.parse(doc.aspects) : doc.aspects };
}

beforeAll(async () => {
  ({ bus, topics } = await freshBus('edits'));
  const [collectionDb, analysisDb, applicationsDb] = await Promise.all([freshDatabase('ed_collection'), freshDatabase('ed_analysis'), freshDatabase('ed_applications')]);
  collection = await createCollectionServer({ database: collectionDb, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const analyzer = await createAnalyzer();
  analysis = await createAnalysisServer({ database: analysisDb, analyzer, log: silentLog, internalSecret: TEST_SECRET });
  applications = await createApplicationsServer({ database: applicationsDb, log: silentLog, internalSecret: TEST_SECRET });
  consumers.push(
    await startAnalysisConsumer(bus, { analyses: analysis.services.analyses, mentions: analysis.services.mentions, taxonomies: analysis.services.taxonomies, analyzer, publisher: bus, topics, log: silentLog }, { batchSize: 16, maxDeliver: 3, backoffMs: [100] }),
    await startInsightsConsumer(bus, { insights: applications.insights, topics, log: silentLog }, { maxDeliver: 3, backoffMs: [100] }),
  );
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "ED-1", name: "Edit watch", category: "sport-watch" }, { sku: "ED-2", name: "Other watch", category: "sport-watch" }] }) { products { id } } }`);
  [productId, otherProductId] = products.data!.upsertProducts.products.map((p: { id: string }) => p.id);
});

afterAll(async () => {
  for (const c of consumers) await c.stop();
});

describe('editing a review by resubmitting it', () => {
  it('keeps the id, bumps the revision, re-analyses it and moves it between rating, sentiment and day buckets', async () => {
    const original = { productId, rating: 5, text: 'The battery is excellent and the strap is comfortable.', source: 'partner:acme', externalId: 'E-1', createdAt: '2026-03-02T10:00:00Z' };
    const first = (await run(SUBMIT, { reviews: [original] })).data!.submitReviews;
    expect(first.accepted).toEqual([{ index: 0, id: expect.any(String), duplicate: false, revision: 1, edited: false }]);
    const id = first.accepted[0].id as string;
    await eventually(async () => ((await insights())?.sentiment.POSITIVE === 1 ? true : undefined), 30_000, 'the first version analysed and counted');
    expect(await insights()).toMatchObject({ reviewCount: 1, ratings: { r5: 1, r1: 0 }, sentiment: { POSITIVE: 1, NEGATIVE: 0 }, aspects: { battery: { n: 1, POSITIVE: 1, NEGATIVE: 0 } } });

    const edited = { ...original, rating: 1, text: 'The battery died after a week and the strap broke. Terrible, awful watch.', createdAt: '2026-04-15T10:00:00Z' };
    const again = (await run(SUBMIT, { reviews: [edited] })).data!.submitReviews;
    expect(again).toEqual({ accepted: [{ index: 0, id, duplicate: true, revision: 2, edited: true }], rejected: [] });
    const stored = (await run(REVIEW, { id })).data!.review;
    expect(stored).toMatchObject({ id, rating: 1, text: edited.text, revision: 2, createdAt: '2026-04-15T10:00:00.000Z' });
    expect(Date.parse(stored.updatedAt)).toBeGreaterThan(Date.now() - 60_000);

    // analysis re-analyses the new text; insights move the review from 5 stars/positive to 1 star/negative
    await eventually(async () => {
      const now = await insights();
      return now?.ratings.r1 === 1 && now.sentiment.NEGATIVE === 1 ? now : undefined;
    }, 30_000, 'the edit re-analysed and moved between buckets');
    expect(await insights()).toMatchObject({ reviewCount: 1, analyzedCount: 1, ratings: { r5: 0, r1: 1 }, sentiment: { POSITIVE: 0, NEGATIVE: 1 }, aspects: { battery: { n: 1, POSITIVE: 0, NEGATIVE: 1 } } });
    const analysed = (await analysis.services.analyses.findByIds('tenant-a', [id])).get(id)!;
    expect(analysed).toMatchObject({ text: edited.text, reviewRevision: 2, sentiment: { label: 'NEGATIVE' } });
    const march = await applications.insights.database.db.collection('trend_months').findOne({ _id: trendMonthId('tenant-a', productId, '2026-03') as never });
    const april = await applications.insights.database.db.collection('trend_months').findOne({ _id: trendMonthId('tenant-a', productId, '2026-04') as never });
    // read as the aggregate stores it (packed or split into one field per day)
    const days = (doc: Record<string, any> | null): Record<string, unknown> => (doc ? applications.insights.monthAggregates.fromStored(doc as never).days : {});
    expect(days(march)['02']).toBeUndefined();
    expect(days(april)['15']).toMatchObject({ count: 1, ratingSum: 1 });

    // the product's lists show it once, at its new rating and date
    const list = await run(`query($id: ID!) { product(id: $id) { newest: reviews { edges { node { id } } } fives: reviews(rating: 5) { edges { node { id } } } ones: reviews(rating: 1) { edges { node { id } } } } }`, { id: productId });
    expect(list.data!.product.newest.edges.map((e: any) => e.node.id)).toEqual([id]);
    expect(list.data!.product.fives.edges).toEqual([]);
    expect(list.data!.product.ones.edges.map((e: any) => e.node.id)).toEqual([id]);

    // an unchanged resubmission (createdAt left out keeps the stored date) changes nothing and publishes nothing new
    const before = await streamCount();
    const { createdAt: _left, ...withoutDate } = edited;
    const same = (await run(SUBMIT, { reviews: [withoutDate] })).data!.submitReviews;
    expect(same).toEqual({ accepted: [{ index: 0, id, duplicate: true, revision: 2, edited: false }], rejected: [] });
    expect((await run(REVIEW, { id })).data!.review).toEqual(stored);
    expect(await streamCount()).toBe(before);
  });

  it('never creates two reviews from concurrent submissions of one, and ends on the content of its newest revision', async () => {
    const base = { productId, source: 'partner:acme', externalId: 'E-RACE', createdAt: '2026-05-01T08:00:00Z' };
    const variants = Array.from({ length: 8 }, (_, i) => ({ ...base, rating: (i % 5) + 1, text: `Variant ${i}: the strap is fine and the screen is bright.` }));
    const results = await Promise.all(variants.map((v) => run(SUBMIT, { reviews: [v] })));
    const accepted = results.map((r) => r.data!.submitReviews.accepted[0]);
    expect(results.every((r) => r.data!.submitReviews.rejected.length === 0)).toBe(true);
    const ids = new Set(accepted.map((a) => a.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    // every call that changed it made a revision of its own
    const revisions = accepted.filter((a) => a.edited).map((a) => a.revision);
    expect(new Set(revisions).size).toBe(revisions.length);
    const stored = (await run(REVIEW, { id })).data!.review;
    const newest = Math.max(...accepted.map((a) => a.revision));
    expect(stored.revision).toBe(newest);
    const newestRevision = newest === 1 ? null : await collection.services.revisions.collection.findOne({ _id: `${id}:${String(newest).padStart(6, '0')}` });
    if (newestRevision) expect(stored.text).toBe(newestRevision.content.text);
    // listed once, and only under its stored rating (an entry a racing edit left behind is skipped when read)
    const doc = (await collection.services.reviews.findByIds('tenant-a', [id])).get(id)!;
    const entries = await collection.services.reviews.lists.collection.find({ ref: id }).toArray();
    expect(entries.map((e) => e._id)).toEqual(expect.arrayContaining(reviewListEntries(doc).map((e) => e._id)));
    const listed = (await run(`query($id: ID!) { product(id: $id) { reviews(first: 100) { edges { node { id rating } } } } }`, { id: productId })).data!.product.reviews.edges.filter((e: any) => e.node.id === id);
    expect(listed).toEqual([{ node: { id, rating: doc.rating } }]);
    for (const rating of [1, 2, 3, 4, 5]) {
      const byRating = (await run(`query($id: ID!, $r: Int) { product(id: $id) { reviews(first: 100, rating: $r) { edges { node { id } } } } }`, { id: productId, r: rating })).data!.product.reviews.edges.filter((e: any) => e.node.id === id);
      expect(byRating).toHaveLength(rating === doc.rating ? 1 : 0);
    }
    expect(await collection.services.reviews.collection.countDocuments({ externalId: 'E-RACE' })).toBe(1);
    // every edit finished: no outbox entry of it is left for the sweeper
    expect(await collection.services.outbox.collection.countDocuments({ reviewId: id })).toBe(0);
  });

  it('refuses edits of deleted, unknown and moved reviews and of a revision it is no longer at, with specific codes', async () => {
    const review = { productId, rating: 4, text: 'Good watch, decent battery.', source: 'partner:acme', externalId: 'E-DEL' };
    const id = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted[0].id as string;
    const conflict = (await run(SUBMIT, { reviews: [{ ...review, text: 'Edited against a revision it is not at.', revision: 3 }] })).data!.submitReviews;
    expect(conflict.accepted).toEqual([]);
    expect(conflict.rejected).toEqual([{ index: 0, field: 'revision', code: 'REVISION_CONFLICT', message: expect.stringContaining('at revision 1, not 3') }]);
    const ok = (await run(SUBMIT, { reviews: [{ ...review, text: 'Edited against the revision it is at.', revision: 1 }] })).data!.submitReviews;
    expect(ok.accepted).toEqual([{ index: 0, id, duplicate: true, revision: 2, edited: true }]);
    const moved = (await run(SUBMIT, { reviews: [{ ...review, productId: otherProductId, text: 'Moved to another product.' }] })).data!.submitReviews;
    expect(moved.rejected).toEqual([{ index: 0, field: 'productId', code: 'INVALID', message: expect.stringContaining('cannot move to another product') }]);

    expect((await run(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted } }`, { ids: [id] })).data!.deleteReviews.deleted).toEqual([id]);
    // its edited text goes with it (a deletion may be an erasure request)
    expect(await collection.services.revisions.collection.countDocuments({ reviewId: id })).toBe(0);
    const ofDeleted = (await run(SUBMIT, { reviews: [{ ...review, text: 'An edit of a deleted review.', revision: 2 }, { ...review, externalId: 'E-NEVER', revision: 1 }, { ...review, externalId: 'E-NEW' }] })).data!.submitReviews;
    expect(ofDeleted.rejected).toEqual([
      { index: 0, field: 'revision', code: 'REVIEW_DELETED', message: expect.stringContaining('was deleted') },
      { index: 1, field: 'revision', code: 'UNKNOWN_REVIEW', message: expect.stringContaining('nothing to edit') },
    ]);
    // the other item of the call is stored, its index kept
    expect(ofDeleted.accepted).toEqual([{ index: 2, id: expect.any(String), duplicate: false, revision: 1, edited: false }]);
    expect((await run(REVIEW, { id })).data!.review).toBeNull();
  });
  it('finishes an edit cut short after its revision was stored: the sweeper brings the review forward, records it and publishes it', async () => {
    const review = { productId, rating: 5, text: 'Lovely watch.', source: 'partner:acme', externalId: 'E-CRASH' };
    const id = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted[0].id as string;
    const stored = (await collection.services.reviews.findByIds('tenant-a', [id])).get(id)!;
    // what applyEdits leaves when the process dies right after inserting revision 2
    await collection.services.outbox.add([{ _id: updatedEventId(id, 2), tenantId: 'tenant-a', reviewId: id, createdAt: new Date(0), revision: 2 }]);
    await collection.services.revisions.insert({ _id: revisionId(id, 2), tenantId: 'tenant-a', reviewId: id, revision: 2, content: { ...contentOf(stored), rating: 2, text: 'Stopped working.' }, editedAt: new Date() });
    const before = await streamCount();
    expect((await sweepOutbox(collection.services, { olderThanMs: 0 })).republished).toBeGreaterThanOrEqual(1);
    expect((await run(REVIEW, { id })).data!.review).toMatchObject({ rating: 2, text: 'Stopped working.', revision: 2 });
    expect(await streamCount()).toBeGreaterThan(before);
    expect(await collection.services.outbox.collection.countDocuments({ reviewId: id })).toBe(0);
    const changes = await collection.services.changes.collection.find({ reviewId: id }).toArray();
    expect(changes.map((c) => [c.kind, c.revision])).toEqual([['CREATED', 1], ['UPDATED', 2]]);
    // a retry of the edit by the partner finds it done
    expect((await run(SUBMIT, { reviews: [{ ...review, rating: 2, text: 'Stopped working.' }] })).data!.submitReviews.accepted).toEqual([{ index: 0, id, duplicate: true, revision: 2, edited: false }]);
  });
});
