import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { operationRunner } from '../support/subgraph-operation.js';

let server: Awaited<ReturnType<typeof createServer>>;
const run = operationRunner(() => server, { ...caller('tenant-fingerprints'), scopes: ['read', 'write'] });
let watch: string;

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { id edited } rejected { index code } } }`;
const SIGNALS = `query($id: ID!) { review(id: $id) { signals } }`;

async function submit(review: Record<string, unknown>): Promise<{ id: string; edited: boolean }> {
  const result = await run(SUBMIT, { reviews: [review] });
  expect(result.errors).toBeUndefined();
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted[0];
}
const signalsOf = async (id: string): Promise<string[]> => (await run(SIGNALS, { id })).data!.review.signals;

beforeAll(async () => {
  const database = await freshDatabase('moderation-fingerprints');
  const { bus, topics } = await freshBus('moderation_fingerprints');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  watch = (await run(`mutation { upsertProducts(input: { products: [{ sku: "FP-1", name: "Trail watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id;
});

describe('near-duplicates of words that are gone', () => {
  it('a review deleted no longer makes a later review with its words a near-duplicate', async () => {
    const text = 'Comfortable strap, the heart rate matches my chest belt.';
    const first = await submit({ productId: watch, rating: 5, text, source: 'partner:fp', externalId: 'D-1' });
    const twin = await submit({ productId: watch, rating: 5, text, source: 'partner:fp', externalId: 'D-2' });
    expect(await signalsOf(twin.id)).toEqual(['NEAR_DUPLICATE']);
    const deleted = await run(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted } }`, { ids: [first.id] });
    expect(deleted.data!.deleteReviews.deleted).toEqual([first.id]);
    // the author writes it again, as a new review
    const again = await submit({ productId: watch, rating: 5, text, source: 'partner:fp', externalId: 'D-3' });
    expect(await signalsOf(again.id)).toEqual([]);
    // and the one still stored makes the next twin a near-duplicate, as before
    const third = await submit({ productId: watch, rating: 4, text, source: 'partner:fp', externalId: 'D-4' });
    expect(await signalsOf(third.id)).toEqual(['NEAR_DUPLICATE']);
  });

  it('words edited away are free for the next review; words another review holds stay held', async () => {
    const before = 'Battery died after two weeks of runs.';
    const first = await submit({ productId: watch, rating: 2, text: before, source: 'partner:fp', externalId: 'E-1' });
    const edit = await submit({ productId: watch, rating: 4, text: 'Battery was replaced under warranty, fine since.', source: 'partner:fp', externalId: 'E-1' });
    expect(edit).toEqual({ id: first.id, edited: true });
    const later = await submit({ productId: watch, rating: 2, text: before, source: 'partner:fp', externalId: 'E-2' });
    expect(await signalsOf(later.id)).toEqual([]);
    // the edited text is held by the edited review
    const copy = await submit({ productId: watch, rating: 4, text: 'Battery was replaced under warranty, fine since.', source: 'partner:fp', externalId: 'E-3' });
    expect(await signalsOf(copy.id)).toEqual(['NEAR_DUPLICATE']);
    // editing the copy away does not free the words its original holds
    await submit({ productId: watch, rating: 4, text: 'Changed my mind about this one.', source: 'partner:fp', externalId: 'E-3' });
    const fourth = await submit({ productId: watch, rating: 4, text: 'Battery was replaced under warranty, fine since.', source: 'partner:fp', externalId: 'E-4' });
    expect(await signalsOf(fourth.id)).toEqual(['NEAR_DUPLICATE']);
  });
});
