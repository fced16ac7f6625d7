import { beforeAll, describe, expect, it } from 'vitest';
import { newEvent, type Bus, type RunningConsumer } from '../../lib/bus/index.js';
import type { InternalContext } from '../../lib/internal-context.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { COLLECTION_CONSUMER, startRatingSentimentConsumer } from '../../subgraphs/collection/src/services/rating-sentiment-consumer.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { operationRunner } from '../support/subgraph-operation.js';

let server: Awaited<ReturnType<typeof createServer>>;
let bus: Bus;
let topics: ReviewTopics;
let consumer: RunningConsumer;
let watch: string;

const TENANT = 'tenant-sentiment';
const as = (scopes: string[], tenant = TENANT): InternalContext => ({ ...caller(tenant), scopes });
const WRITER = as(['read', 'write']);
const READER = as(['read']);
const MODERATOR = as(['read', 'moderate']);

const run = operationRunner(() => server, WRITER);

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id revision } rejected { index field code } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) { status moderationReason signals revision } }`;
const CHANGES = `query { reviewChanges(first: 500) { edges { node { kind reviewId } } } }`;

async function submit(reviews: Array<Record<string, unknown>>): Promise<string[]> {
  const result = await run(SUBMIT, { reviews });
  expect(result.errors).toBeUndefined();
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
}
const review = async (id: string, who = WRITER) => (await run(REVIEW, { id }, who)).data!.review as { status: string; moderationReason: string | null; signals: string[]; revision: number } | null;
const statusChanges = async (id: string) => (await run(CHANGES, {}, MODERATOR)).data!.reviewChanges.edges.filter((e: any) => e.node.kind === 'STATUS_CHANGED' && e.node.reviewId === id).length;

let sent = 0;
/** Publishes a `review.analyzed` as analysis makes it: its analysis revision, the review revision it analysed, label and score. */
async function analysed(reviewId: string, fields: { revision: number; reviewRevision?: number; label: string | null; score: number | null; status?: string }, tenant = TENANT): Promise<void> {
  const data = { reviewId, productId: watch, status: fields.status ?? 'DONE', label: fields.label, score: fields.score, previousLabel: null, revision: fields.revision, reviewRevision: fields.reviewRevision, modelVersion: 'rg-nlp-2.0.0', aspects: [], reviewStatus: 'PUBLISHED' };
  await bus.publish(topics.analyzed, newEvent('review.analyzed', tenant, data, { id: `test-analyzed-${++sent}` }));
}
/** Waits until the consumer has applied everything published before: a marker review's result shows. */
async function settled(): Promise<void> {
  const [marker] = await submit([{ productId: watch, rating: 5, text: `Marker review ${++sent}.` }]);
  await analysed(marker!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -0.99 });
  await eventually(async () => ((await review(marker!))!.signals.includes('RATING_CONTRADICTS_SENTIMENT') ? true : undefined), 20_000, 'the marker applied');
}

beforeAll(async () => {
  const database = await freshDatabase('moderation-sentiment');
  ({ bus, topics } = await freshBus('moderation_sentiment'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  consumer = await startRatingSentimentConsumer(bus, server.services, { maxDeliver: 2, backoffMs: [100] });
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "SENT-1", name: "Watch" }] }) { products { id } } }`);
  watch = products.data!.upsertProducts.products[0].id;
  return async () => { await consumer.stop(); };
});

describe('a rating that contradicts analysed sentiment', () => {
  it('is a signal once analysed (4-5 stars and score <= -0.9, 1-2 stars and score >= 0.9), and with no policy holding it the review stays published', async () => {
    const [loved, hated, middling, mild, three] = await submit([
      { productId: watch, rating: 5, text: 'Terrible. Broke in two days, a waste of money.' },
      { productId: watch, rating: 1, text: 'Absolutely love it, best purchase this year.' },
      { productId: watch, rating: 4, text: 'Not great, not bad.' },
      { productId: watch, rating: 5, text: 'The strap is a bit stiff.' },
      { productId: watch, rating: 3, text: 'Awful, awful, awful.' },
    ]);
    expect((await review(loved!))!.signals).toEqual([]);
    await analysed(loved!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -0.95 });
    await analysed(hated!, { revision: 1, reviewRevision: 1, label: 'POSITIVE', score: 0.99 });
    await analysed(middling!, { revision: 1, reviewRevision: 1, label: 'NEUTRAL', score: 0.01 });
    await analysed(mild!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -0.89 });
    await analysed(three!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -1 });
    await settled();
    expect(await review(loved!)).toMatchObject({ status: 'PUBLISHED', signals: ['RATING_CONTRADICTS_SENTIMENT'] });
    expect(await review(hated!)).toMatchObject({ status: 'PUBLISHED', signals: ['RATING_CONTRADICTS_SENTIMENT'] });
    expect((await review(middling!))!.signals).toEqual([]);
    expect((await review(mild!))!.signals).toEqual([]);
    expect((await review(three!))!.signals).toEqual([]);
    expect(await statusChanges(loved!)).toBe(0);
  });

  it('holds a published review as PENDING through the status-change path when the policy holds the signal, once per revision', async () => {
    expect((await run(`mutation { setModerationPolicy(hold: [RATING_CONTRADICTS_SENTIMENT]) { hold } }`, {}, MODERATOR)).data!.setModerationPolicy.hold).toEqual(['RATING_CONTRADICTS_SENTIMENT']);
    const [id] = await submit([{ productId: watch, rating: 5, text: 'Horrible, useless, the worst watch I ever had.', source: 'partner:acme', externalId: 'acme-1' }]);
    expect((await review(id!))!.status).toBe('PUBLISHED');
    await analysed(id!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -1 });
    const held = await eventually(async () => { const r = await review(id!); return r!.status === 'PENDING' ? r : undefined; }, 20_000, 'the review held');
    expect(held).toEqual({ status: 'PENDING', moderationReason: "held by the tenant's moderation policy: RATING_CONTRADICTS_SENTIMENT", signals: ['RATING_CONTRADICTS_SENTIMENT'], revision: 1 });
    // Held like any other: a read-only key no longer sees it, and the change feed says so once.
    expect(await review(id!, READER)).toBeNull();
    expect(await statusChanges(id!)).toBe(1);
    // The same result again (a redelivery, or analysis republishing it) changes nothing.
    await analysed(id!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -1 });
    await settled();
    expect(await statusChanges(id!)).toBe(1);
    // A moderator's publication stands: a re-analysis of the same text that still contradicts does not hold it again.
    expect((await run(`mutation($ids: [ID!]!) { moderateReviews(ids: $ids, status: PUBLISHED) { moderated { status } } }`, { ids: [id] }, MODERATOR)).data!.moderateReviews.moderated).toEqual([{ status: 'PUBLISHED' }]);
    await analysed(id!, { revision: 2, reviewRevision: 1, label: 'NEGATIVE', score: -0.97 });
    await settled();
    expect(await review(id!)).toMatchObject({ status: 'PUBLISHED', signals: ['RATING_CONTRADICTS_SENTIMENT'] });
    expect(await statusChanges(id!)).toBe(2);
  });

  it('applies a result only to the revision it analysed: an edit clears the signal, a late result of the older text or an older result of the new one change nothing', async () => {
    const [id] = await submit([{ productId: watch, rating: 5, text: 'Dreadful, it stopped working, a waste of money.', source: 'partner:acme', externalId: 'acme-edit' }]);
    await analysed(id!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -0.99 });
    await eventually(async () => ((await review(id!))!.status === 'PENDING' ? true : undefined), 20_000, 'held');
    // The partner fixes the text: revision 2, not analysed yet, so the old text's signal no longer shows.
    const edit = await run(SUBMIT, { reviews: [{ productId: watch, rating: 5, text: 'Lovely watch, the battery lasts for days.', source: 'partner:acme', externalId: 'acme-edit' }] });
    expect(edit.data!.submitReviews.accepted[0]).toMatchObject({ id, revision: 2 });
    expect((await review(id!))!.signals).toEqual([]);
    // A re-analysis of the old text arriving late (a newer analysis number, revision 1's text) is stale.
    await analysed(id!, { revision: 3, reviewRevision: 1, label: 'NEGATIVE', score: -1 });
    await settled();
    expect((await review(id!))!.signals).toEqual([]);
    // The new text's result: no contradiction.
    await analysed(id!, { revision: 5, reviewRevision: 2, label: 'POSITIVE', score: 0.98 });
    // An older result of the new text, delivered after it, would contradict: it is ignored.
    await analysed(id!, { revision: 4, reviewRevision: 2, label: 'NEGATIVE', score: -0.99 });
    await settled();
    expect((await review(id!))!.signals).toEqual([]);
    expect(await statusChanges(id!)).toBe(1);
    // A later edit back to a contradicting text is held again once its own analysis says so.
    await run(SUBMIT, { reviews: [{ productId: watch, rating: 5, text: 'Awful, broke again.', source: 'partner:acme', externalId: 'acme-edit' }] });
    await run(`mutation($ids: [ID!]!) { moderateReviews(ids: $ids, status: PUBLISHED) { moderated { status } } }`, { ids: [id] }, MODERATOR);
    await analysed(id!, { revision: 6, reviewRevision: 3, label: 'NEGATIVE', score: -0.99 });
    expect(await eventually(async () => { const r = await review(id!); return r!.status === 'PENDING' ? r : undefined; }, 20_000, 'held again')).toMatchObject({ signals: ['RATING_CONTRADICTS_SENTIMENT'], revision: 3 });
  });

  it('ignores results without sentiment, of deleted reviews and of other tenants\' reviews, and dead-letters a malformed event', async () => {
    const [quiet, gone] = await submit([
      { productId: watch, rating: 5, text: 'Schrecklich, ganz schlecht.', locale: 'de-DE' },
      { productId: watch, rating: 5, text: 'Bad, bad, bad.' },
    ]);
    await analysed(quiet!, { revision: 1, reviewRevision: 1, label: null, score: null, status: 'UNSUPPORTED_LANGUAGE' });
    expect((await run(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted } }`, { ids: [gone] })).errors).toBeUndefined();
    await analysed(gone!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -1 });
    // Another tenant names this tenant's review: it is looked up in that tenant, where it does not exist.
    const [mine] = await submit([{ productId: watch, rating: 5, text: 'Worst watch ever.' }]);
    await analysed(mine!, { revision: 1, reviewRevision: 1, label: 'NEGATIVE', score: -1 }, 'tenant-sentiment-other');
    // Malformed: a score out of range, an operator object where the id goes.
    await bus.publish(topics.analyzed, newEvent('review.analyzed', TENANT, { reviewId: mine, productId: watch, status: 'DONE', label: 'NEGATIVE', score: -7, revision: 1, reviewRevision: 1 }, { id: 'test-poison-1' }));
    await bus.publish(topics.analyzed, newEvent('review.analyzed', TENANT, { reviewId: { $gt: '' }, productId: watch, status: 'DONE', label: 'NEGATIVE', score: -1, revision: 1, reviewRevision: 1 }, { id: 'test-poison-2' }));
    await settled();
    expect(await review(quiet!)).toMatchObject({ status: 'PUBLISHED', signals: [] });
    expect(await review(mine!)).toMatchObject({ status: 'PUBLISHED', signals: [] });
    const letters = await eventually(async () => { const l = await bus.deadLetters(topics.stream.name, { durable: COLLECTION_CONSUMER }); return l.length >= 2 ? l : undefined; }, 20_000, 'the malformed events dead-lettered');
    expect(letters.map((l) => l.reason).join('\n')).toMatch(/score/);
    expect(letters.map((l) => l.reason).join('\n')).toMatch(/reviewId/);
    expect(await review(mine!)).toMatchObject({ status: 'PUBLISHED', signals: [] });
  });
});
