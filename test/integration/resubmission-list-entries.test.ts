import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { operationRunner } from '../support/subgraph-operation.js';

let server: Awaited<ReturnType<typeof createServer>>;
const run = operationRunner(() => server, { ...caller('tenant-resubmit'), scopes: ['read', 'write'] });
let watch: string;

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { id duplicate edited revision } rejected { index code } } }`;
const PAGE = `query($id: ID!, $order: ReviewOrder) { product(id: $id) { reviews(first: 50, orderBy: $order) { edges { node { id rating text } } } } }`;
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

async function submit(review: Record<string, unknown>) {
  const result = await run(SUBMIT, { reviews: [review] });
  expect(result.errors).toBeUndefined();
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted[0] as { id: string; duplicate: boolean; edited: boolean; revision: number };
}
const entriesOf = (id: string) => server.services.reviews.lists.collection.countDocuments({ ref: id });

beforeAll(async () => {
  const database = await freshDatabase('resubmission-entries');
  const { bus, topics } = await freshBus('resubmission_entries');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  watch = (await run(`mutation { upsertProducts(input: { products: [{ sku: "RESUB-1", name: "Trail watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id;
});

describe('resubmitting a review without createdAt', () => {
  it('leaves exactly the stored review\'s two list entries, after unchanged resubmissions and after edits', async () => {
    const review = { productId: watch, rating: 4, text: 'Strong battery, accurate GPS.', source: 'partner:resubmit', externalId: 'R-1' };
    const first = await submit(review);
    expect(await entriesOf(first.id)).toBe(2);
    for (let i = 0; i < 3; i++) {
      await pause();
      expect(await submit(review)).toMatchObject({ id: first.id, duplicate: true, edited: false });
    }
    expect(await entriesOf(first.id)).toBe(2);
    await pause();
    expect(await submit({ ...review, text: 'Strong battery, accurate GPS, comfortable strap.' })).toMatchObject({ id: first.id, edited: true, revision: 2 });
    await pause();
    expect(await submit({ ...review, rating: 2, text: 'The strap broke after a month.' })).toMatchObject({ id: first.id, edited: true, revision: 3 });
    expect(await entriesOf(first.id)).toBe(2);
    // and the lists show it once, where its stored rating puts it
    for (const order of ['NEWEST', 'HIGHEST_RATING', 'LOWEST_RATING']) {
      const page = await run(PAGE, { id: watch, order });
      expect(page.data!.product.reviews.edges.map((e: any) => e.node)).toEqual([{ id: first.id, rating: 2, text: 'The strap broke after a month.' }]);
    }
  });
});
