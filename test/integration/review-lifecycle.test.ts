// Delete, then resubmit (same source + externalId), through the real bus with the analysis worker and
// the insights consumer running: the review ends listed, analysed and counted, or none of the three.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { createServer as createAnalysisServer } from '../../subgraphs/analysis/src/server.js';
import { startAnalysisConsumer } from '../../subgraphs/analysis/src/services/analysis-consumer.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';
import { createServer as createApplicationsServer } from '../../subgraphs/applications/src/server.js';
import { startInsightsConsumer } from '../../subgraphs/applications/src/services/insights-consumer.js';
import { createServer as createCollectionServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { deletedEvent } from '../../subgraphs/collection/src/services/review-events.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type CollectionServer = Awaited<ReturnType<typeof createCollectionServer>>;
type AnalysisServer = Awaited<ReturnType<typeof createAnalysisServer>>;
type ApplicationsServer = Awaited<ReturnType<typeof createApplicationsServer>>;
let collection: CollectionServer;
let analysis: AnalysisServer;
let applications: ApplicationsServer;
const consumers: RunningConsumer[] = [];
let bus: Bus;
let topics: ReviewTopics;
let productId: string;

async function run(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Record<string, any>; errors?: Array<{ extensions?: Record<string, unknown> }> }> {
  const response = await collection.apollo.executeOperation({ query, variables }, { contextValue: collection.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id duplicate } rejected { index code message } } }`;
const DELETE = `mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted notFound pending } }`;

/** What each side says about a review: listed by collection, its analysis status, and the product's counts. */
async function state(reviewId: string, product = productId) {
  const listed = (await run(`query($id: ID!) { review(id: $id) { id } }`, { id: reviewId })).data!.review !== null;
  const analysed = (await analysis.services.analyses.findByIds('tenant-a', [reviewId])).get(reviewId)?.status ?? 'PENDING';
  const insights = await applications.insights.collection.findOne({ _id: insightsId('tenant-a', product) });
  return { listed, analysed, reviewCount: insights?.reviewCount ?? 0, analyzedCount: insights?.analyzedCount ?? 0 };
}

const settled = (reviewId: string, want: Awaited<ReturnType<typeof state>>, what: string, product = productId) =>
  eventually(async () => {
    const now = await state(reviewId, product);
    return JSON.stringify(now) === JSON.stringify(want) ? now : undefined;
  }, 30_000, what).catch(async (error) => {
    throw new Error(`${(error as Error).message}; last state ${JSON.stringify(await state(reviewId, product))}`);
  });

beforeAll(async () => {
  ({ bus, topics } = await freshBus('lifecycle'));
  const [collectionDb, analysisDb, applicationsDb] = await Promise.all([freshDatabase('lc_collection'), freshDatabase('lc_analysis'), freshDatabase('lc_applications')]);
  collection = await createCollectionServer({ database: collectionDb, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const analyzer = await createAnalyzer();
  analysis = await createAnalysisServer({ database: analysisDb, analyzer, log: silentLog, internalSecret: TEST_SECRET });
  applications = await createApplicationsServer({ database: applicationsDb, log: silentLog, internalSecret: TEST_SECRET });
  consumers.push(
    await startAnalysisConsumer(bus, { analyses: analysis.services.analyses, mentions: analysis.services.mentions, taxonomies: analysis.services.taxonomies, analyzer, publisher: bus, topics, log: silentLog }, { batchSize: 16, maxDeliver: 3, backoffMs: [100] }),
    await startInsightsConsumer(bus, { insights: applications.insights, topics, log: silentLog }, { maxDeliver: 3, backoffMs: [100] }),
  );
  const product = await run(`mutation { upsertProducts(input: { products: [{ sku: "LC-1", name: "Lifecycle watch", category: "sport-watch" }] }) { products { id } } }`);
  productId = product.data!.upsertProducts.products[0].id;
});

afterAll(async () => {
  for (const c of consumers) await c.stop();
});

describe('delete, then resubmit', () => {
  it('ends listed, analysed and counted once, and the old incarnation stays deleted', async () => {
    const review = { productId, rating: 5, text: 'The battery is excellent and the strap is comfortable.', source: 'partner:acme', externalId: 'LC-1' };
    const first = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted[0].id as string;
    await settled(first, { listed: true, analysed: 'DONE', reviewCount: 1, analyzedCount: 1 }, 'the first submission analysed and counted');

    expect((await run(DELETE, { ids: [first] })).data!.deleteReviews).toEqual({ deleted: [first], notFound: [], pending: [] });
    await settled(first, { listed: false, analysed: 'DELETED', reviewCount: 0, analyzedCount: 0 }, 'the deletion applied everywhere');

    const again = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews;
    expect(again.rejected).toEqual([]);
    expect(again.accepted).toHaveLength(1);
    expect(again.accepted[0].duplicate).toBe(false);
    const second = again.accepted[0].id as string;
    await settled(second, { listed: true, analysed: 'DONE', reviewCount: 1, analyzedCount: 1 }, 'the resubmission analysed and counted');
    // A late redelivery of the first incarnation's event (past the bus's dedupe window) revives nothing.
    const handled = consumers.map((c) => c.processed);
    await bus.publish(topics.submitted, newEvent('review.submitted', 'tenant-a', { reviewId: first, productId, productCategory: 'sport-watch', rating: 5, title: null, text: review.text, locale: null, createdAt: new Date().toISOString() }));
    await eventually(async () => (consumers.every((c, i) => c.processed > handled[i]!) ? true : undefined), 20_000, 'the late event handled');
    expect(await state(first)).toEqual({ listed: false, analysed: 'DELETED', reviewCount: 1, analyzedCount: 1 });
    // A partner's retry of the resubmission finds it, and the first incarnation stays gone.
    expect((await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted).toEqual([{ index: 0, id: second, duplicate: true }]);
    expect(await state(first)).toMatchObject({ listed: false, analysed: 'DELETED' });

    // And round again: delete the second incarnation, resubmit a third time.
    expect((await run(DELETE, { ids: [second] })).data!.deleteReviews.deleted).toEqual([second]);
    await settled(second, { listed: false, analysed: 'DELETED', reviewCount: 0, analyzedCount: 0 }, 'the second deletion applied everywhere');
    const third = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted[0].id as string;
    expect(new Set([first, second, third]).size).toBe(3);
    await settled(third, { listed: true, analysed: 'DONE', reviewCount: 1, analyzedCount: 1 }, 'the third submission analysed and counted');
  });

  it('finishes a deletion cut short after its outbox entry, before its event tells downstream', async () => {
    const product = (await run(`mutation { upsertProducts(input: { products: [{ sku: "LC-2", name: "Second watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const review = { productId: product, rating: 2, text: 'The strap snapped and the battery is weak.', source: 'partner:acme', externalId: 'LC-2' };
    const id = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted[0].id as string;
    await settled(id, { listed: true, analysed: 'DONE', reviewCount: 1, analyzedCount: 1 }, 'analysed and counted', product);
    // What a deleteReviews that died right after writing its outbox entry leaves behind.
    const stored = (await collection.services.reviews.findByIds('tenant-a', [id])).get(id)!;
    const item = deletedEvent(topics, stored);
    await collection.services.outbox.add([{ _id: item.event.id, tenantId: 'tenant-a', reviewId: id, createdAt: new Date(0), event: item }]);
    expect(await sweepOutbox(collection.services, { olderThanMs: 0 })).toMatchObject({ republished: 1 });
    await settled(id, { listed: false, analysed: 'DELETED', reviewCount: 0, analyzedCount: 0 }, 'the deletion finished everywhere', product);
    const again = (await run(SUBMIT, { reviews: [review] })).data!.submitReviews.accepted[0];
    expect(again.id).not.toBe(id);
    await settled(again.id, { listed: true, analysed: 'DONE', reviewCount: 1, analyzedCount: 1 }, 'the resubmission counted', product);
  });
});
