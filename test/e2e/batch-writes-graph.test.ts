// The largest writes an API key may ask for in one call, through the gateway: 500 edits of stored
// reviews in one submitReviews, 100 reviews in one moderateReviews. Each is one update command of
// that many statements to FerretDB; with 100 or more, FerretDB 1.24 waited forever for a SQLite
// connection and every later command on the collection database did too (the launcher's patch
// closes each statement's query when the statement ends).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { startTestStack } from '../support/stack.js';

const WRITER = 'batch-writes-writer-key-0123456789';
const MODERATOR = 'batch-writes-moderator-key-0123456';
const BOUND_MS = 60_000;
let stack: Stack;

type Body = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

/** One request through the gateway; fails (rather than waits) when it takes longer than BOUND_MS. */
async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<Body> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(BOUND_MS),
  });
  return (await response.json()) as Body;
}

const SUBMIT = `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { index id revision edited } rejected { index code } } }`;
const PAGE = `query($p: ID!) { product(id: $p) { name reviews(first: 5) { edges { node { id text status } } } } }`;
const review = (product: string, i: number, text: string) => ({ productId: product, rating: 4, text, source: 'partner:bulk', externalId: `bulk-${i}`, createdAt: '2026-03-02T10:00:00Z' });

beforeAll(async () => {
  stack = await startTestStack('batch_writes', {
    workers: 0,
    keys: [
      { key: WRITER, name: 'partner', tenantId: 'batch-writes', scopes: ['read', 'write'] },
      { key: MODERATOR, name: 'moderator', tenantId: 'batch-writes', scopes: ['read', 'moderate'] },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the largest batch writes through the gateway', () => {
  it('500 edits in one submitReviews and 100 reviews moderated in one call complete, and a product page answers afterwards', async () => {
    const product = (await gql(WRITER, `mutation { upsertProducts(input: { products: [{ sku: "BATCH-1", name: "Bulk watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const created = await gql(WRITER, SUBMIT, { r: Array.from({ length: 500 }, (_, i) => review(product, i, `The strap of watch number ${i} is comfortable.`)) });
    expect(created.errors).toBeUndefined();
    expect(created.data!.submitReviews.rejected).toEqual([]);
    const ids = created.data!.submitReviews.accepted.map((a: { id: string }) => a.id) as string[];
    expect(ids).toHaveLength(500);

    const edited = await gql(WRITER, SUBMIT, { r: Array.from({ length: 500 }, (_, i) => review(product, i, `Edited: the battery of watch number ${i} lasts a week.`)) });
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.submitReviews.rejected).toEqual([]);
    expect(edited.data!.submitReviews.accepted.map((a: { id: string; revision: number; edited: boolean }) => [a.id, a.revision, a.edited])).toEqual(ids.map((id) => [id, 2, true]));

    const moderated = await gql(MODERATOR, `mutation($ids: [ID!]!) { moderateReviews(ids: $ids, status: REJECTED, reason: "bulk") { moderated { id status } notFound } }`, { ids: ids.slice(0, 100) });
    expect(moderated.errors).toBeUndefined();
    expect(moderated.data!.moderateReviews.notFound).toEqual([]);
    expect(moderated.data!.moderateReviews.moderated.map((m: { id: string; status: string }) => [m.id, m.status]).sort()).toEqual(ids.slice(0, 100).map((id) => [id, 'REJECTED']).sort());

    const page = await gql(WRITER, PAGE, { p: product });
    expect(page.errors).toBeUndefined();
    expect(page.data!.product.name).toBe('Bulk watch');
    const nodes = page.data!.product.reviews.edges.map((e: { node: { text: string } }) => e.node) as Array<{ text: string }>;
    expect(nodes).toHaveLength(5);
    for (const node of nodes) expect(node.text).toMatch(/^Edited: /);
  }, 240_000);
});
