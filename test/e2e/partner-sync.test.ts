// Partner sync through the gateway, with every process running: idempotent submissions, edits that
// analysis and insights follow, and the change feed replayed into a copy of the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { gatewayBody } from '../support/gateway-client.js';
import { startTestStack } from '../support/stack.js';

const PARTNER_KEY = 'sync-partner-key-0123456789abcdef';
const READER_KEY = 'sync-reader-key-0123456789abcdef0';
const OTHER_KEY = 'sync-other-tenant-key-0123456789ab';
let stack: Stack;

const gql = (query: string, variables: Record<string, unknown> = {}, key = PARTNER_KEY) => gatewayBody(stack.gatewayUrl, key, query, variables);

const SUBMIT = `mutation($r: [ReviewInput!]!, $key: String) { submitReviews(input: { reviews: $r, idempotencyKey: $key }) { accepted { index id duplicate revision edited } rejected { index code message } } }`;
const CHANGES = `query($after: String) { reviewChanges(after: $after, first: 3) { edges { node { kind reviewId revision review { id rating text revision } } } pageInfo { hasNextPage endCursor } } }`;

beforeAll(async () => {
  stack = await startTestStack('sync', {
    workers: 1,
    keys: [
      { key: PARTNER_KEY, name: 'partner', tenantId: 'sync', scopes: ['read', 'write'] },
      { key: READER_KEY, name: 'reader', tenantId: 'sync', scopes: ['read'] },
      { key: OTHER_KEY, name: 'other', tenantId: 'sync-other', scopes: ['read', 'write'] },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('partner sync through the gateway', () => {
  it('retries safely with a key, edits a review that analysis and insights follow, and replays the feed into the store', async () => {
    const productId = (await gql(`mutation { upsertProducts(input: { products: [{ sku: "SYNC-1", name: "Sync watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id;
    const batch = [
      { productId, rating: 5, text: 'The battery is excellent and the screen is bright.', source: 'partner:sync', externalId: 'S-1' },
      { productId, rating: 4, text: 'Comfortable strap, accurate GPS.', source: 'partner:sync', externalId: 'S-2' },
      { productId, rating: 4, text: 'Good value for the money.', source: 'partner:sync', externalId: 'S-3' },
    ];
    const first = await gql(SUBMIT, { r: batch, key: 'sync-batch-1' });
    expect(first.data!.submitReviews.accepted).toHaveLength(3);
    expect(await gql(SUBMIT, { r: batch, key: 'sync-batch-1' })).toEqual(first);
    const reused = await gql(SUBMIT, { r: batch.slice(0, 1), key: 'sync-batch-1' });
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const [s1, , s3] = first.data!.submitReviews.accepted.map((a: { id: string }) => a.id);

    const insightsOf = `query($id: ID!) { product(id: $id) { insights { reviewCount averageRating sentimentBreakdown { negative } } } }`;
    await eventually(async () => ((await gql(insightsOf, { id: productId })).data?.product?.insights?.reviewCount === 3 ? true : undefined), 60_000, 'three reviews counted');
    const edit = await gql(SUBMIT, { r: [{ ...batch[0], rating: 1, text: 'The battery died after two days and the screen cracked. Awful.' }] });
    expect(edit.data!.submitReviews.accepted).toEqual([{ index: 0, id: s1, duplicate: true, revision: 2, edited: true }]);
    const moved = await eventually(async () => {
      const result = await gql(`query($id: ID!) { review(id: $id) { revision text analysis { sentiment { label } } } product(id: "${productId}") { insights { averageRating sentimentBreakdown { negative } } } }`, { id: s1 });
      return result.data?.review?.analysis?.sentiment?.label === 'NEGATIVE' && result.data.product.insights.averageRating === 3 ? result.data : undefined;
    }, 60_000, 'the edit re-analysed and its rating moved in insights');
    expect(moved.review.revision).toBe(2);
    expect((await gql(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted } }`, { ids: [s3] })).data!.deleteReviews.deleted).toEqual([s3]);

    // a read-only key replays the feed, three changes a page, into exactly what the product lists
    const copy = new Map<string, { rating: number; text: string; revision: number }>();
    let after: string | null = null;
    let lastCursor: string | null = null;
    for (;;) {
      const page: any = (await gql(CHANGES, { after }, READER_KEY)).data!.reviewChanges;
      for (const { node } of page.edges) {
        if (node.review) copy.set(node.reviewId, { rating: node.review.rating, text: node.review.text, revision: node.review.revision });
        else copy.delete(node.reviewId);
      }
      after = page.pageInfo.endCursor;
      lastCursor = after;
      if (!page.pageInfo.hasNextPage) break;
    }
    const listed = (await gql(`query($id: ID!) { product(id: $id) { reviews(first: 100) { edges { node { id rating text revision } } } } }`, { id: productId })).data!.product.reviews.edges;
    expect(copy).toEqual(new Map(listed.map(({ node }: any) => [node.id, { rating: node.rating, text: node.text, revision: node.revision }])));
    expect([...copy.keys()].sort()).toEqual([s1, first.data!.submitReviews.accepted[1].id].sort());

    // another tenant cannot use the cursor, and its own feed is empty
    const foreign = await gql(CHANGES, { after: lastCursor }, OTHER_KEY);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0]?.message).toMatch(/not a cursor of your change feed/);
    expect((await gql(CHANGES, {}, OTHER_KEY)).data!.reviewChanges.edges).toEqual([]);
  });
});
