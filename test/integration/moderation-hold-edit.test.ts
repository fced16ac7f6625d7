import { beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { InternalContext } from '../../lib/internal-context.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { contentOf, revisionId } from '../../subgraphs/collection/src/models/review-revision.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { startRatingSentimentConsumer } from '../../subgraphs/collection/src/services/rating-sentiment-consumer.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { operationRunner } from '../support/subgraph-operation.js';

let server: Awaited<ReturnType<typeof createServer>>;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;
let watch: string;

const TENANT = 'tenant-hold-edit';
const WRITER: InternalContext = { ...caller(TENANT), scopes: ['read', 'write'] };
const MODERATOR: InternalContext = { ...caller(TENANT), scopes: ['read', 'moderate'] };

const run = operationRunner(() => server, WRITER);

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { id revision } rejected { index code } } }`;
const review = async (id: string) => (await run(`query($id: ID!) { review(id: $id) { status signals revision text } }`, { id })).data!.review as { status: string; signals: string[]; revision: number; text: string };

let sent = 0;
async function analysed(reviewId: string, reviewRevision: number, label: string, score: number): Promise<void> {
  const data = { reviewId, productId: watch, status: 'DONE', label, score, previousLabel: null, revision: 1, reviewRevision, modelVersion: 'rg-nlp-2.0.0', aspects: [], reviewStatus: 'PUBLISHED' };
  await bus.publish(topics.analyzed, newEvent('review.analyzed', TENANT, data, { id: `hold-edit-analyzed-${++sent}` }));
}

beforeAll(async () => {
  const database = await freshDatabase('moderation-hold-edit');
  ({ bus, topics } = await freshBus('moderation_hold_edit'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startRatingSentimentConsumer(bus, server.services, { maxDeliver: 2, backoffMs: [100] });
  watch = (await run(`mutation { upsertProducts(input: { products: [{ sku: "HOLD-EDIT", name: "Watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id;
  expect((await run(`mutation { setModerationPolicy(hold: [RATING_CONTRADICTS_SENTIMENT]) { hold } }`, {}, MODERATOR)).errors).toBeUndefined();
  return async () => { await consumer.stop(); };
});

describe('the sentiment hold beside an edit in flight', () => {
  it('does not hold a review whose edit is stored but not yet shown by the review when the old text\'s result arrives; the edit then completes, published', async () => {
    const submitted = await run(SUBMIT, { reviews: [{ productId: watch, rating: 5, text: 'Terrible. Broke in two days, a waste of money.', source: 'partner:hold', externalId: 'edit-1' }] });
    const id = submitted.data!.submitReviews.accepted[0].id as string;
    const stored = await server.services.reviews.findByIds(TENANT, [id]);
    // An edit made the review's revision 2 (its revision document, the one writer's claim) and has not
    // yet written the review document: the state between the two steps of services/review-edits.ts.
    const edited = { ...contentOf(stored.get(id)!), text: 'Lovely watch, the battery lasts for days.' };
    await server.services.revisions.insertMany([{ _id: revisionId(id, 2), tenantId: TENANT, reviewId: id, revision: 2, content: edited, editedAt: new Date() }]);

    // The result for the old text arrives now: it contradicts the rating, but that text is no longer the review's.
    await analysed(id, 1, 'NEGATIVE', -0.99);
    await eventually(async () => ((await review(id)).signals.includes('RATING_CONTRADICTS_SENTIMENT') ? true : undefined), 20_000, 'the old text\'s result applied');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await review(id)).toMatchObject({ status: 'PUBLISHED', revision: 1 });
    const feed = (await run(`query { reviewChanges(first: 100) { edges { node { kind reviewId } } } }`, {}, MODERATOR)).data!.reviewChanges.edges.map((e: any) => e.node.kind);
    expect(feed).not.toContain('STATUS_CHANGED');

    // The partner's retry of the edit finishes it: revision 2, published, the old text's signal gone.
    const retried = await run(SUBMIT, { reviews: [{ productId: watch, rating: 5, text: 'Lovely watch, the battery lasts for days.', source: 'partner:hold', externalId: 'edit-1' }] });
    expect(retried.data!.submitReviews.accepted).toEqual([{ id, revision: 2 }]);
    expect(await review(id)).toMatchObject({ status: 'PUBLISHED', revision: 2, signals: [], text: 'Lovely watch, the battery lasts for days.' });
  });
});
