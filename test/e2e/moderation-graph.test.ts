import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';

const WRITER = 'moderation-writer-key-0123456789ab';
const READER = 'moderation-reader-key-0123456789ab';
const MODERATOR = 'moderation-moderator-key-012345678';
let stack: Stack;

async function gql(key: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

beforeAll(async () => {
  stack = await startTestStack('moderation', {
    workers: 0,
    keys: [
      { key: WRITER, name: 'partner', tenantId: 'moderation', scopes: ['read', 'write'] },
      { key: READER, name: 'storefront', tenantId: 'moderation', scopes: ['read'] },
      { key: MODERATOR, name: 'moderator', tenantId: 'moderation', scopes: ['read', 'moderate'] },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('moderation through the gateway', () => {
  it('holds a review by the tenant policy, hides it from read-only keys and insights until a moderator publishes it; the moderate scope is its own', async () => {
    const product = (await gql(WRITER, `mutation { upsertProducts(input: { products: [{ sku: "MOD-E2E", name: "Watch" }] }) { products { id } } }`)).body.data!.upsertProducts.products[0].id;
    const policy = `mutation { setModerationPolicy(hold: [LINK_OR_CONTACT]) { hold } }`;
    const refused = await gql(WRITER, policy);
    expect(refused.status).toBe(403);
    expect(refused.body.errors?.[0]).toMatchObject({ message: 'This API key may not moderate: moderateReviews and setModerationPolicy need the moderate scope', extensions: { code: 'FORBIDDEN' } });
    expect((await gql(MODERATOR, policy)).body.data!.setModerationPolicy.hold).toEqual(['LINK_OR_CONTACT']);
    // A moderator may not submit.
    expect((await gql(MODERATOR, `mutation($p: ID!) { submitReviews(input: { reviews: [{ productId: $p, rating: 5, text: "x" }] }) { accepted { id } } }`, { p: product })).status).toBe(403);

    const submitted = await gql(WRITER, `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } } }`, { r: [
      { productId: product, rating: 5, text: 'Great watch, the battery lasts.' },
      { productId: product, rating: 1, text: 'Visit www.cheap-watches.example.com for better prices' },
    ] });
    const [clean, held] = submitted.body.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
    const listed = async (key: string) => (await gql(key, `query($p: ID!) { product(id: $p) { reviews { edges { node { id status } } } } }`, { p: product })).body.data!.product.reviews.edges.map((e: { node: { id: string; status: string } }) => e.node);
    expect(await listed(READER)).toEqual([{ id: clean, status: 'PUBLISHED' }]);
    expect((await listed(WRITER)).map((n: { id: string }) => n.id).sort()).toEqual([clean, held].sort());
    const insights = async () => (await gql(READER, `query($p: ID!) { product(id: $p) { insights { reviewCount averageRating } } }`, { p: product })).body.data!.product.insights;
    expect(await eventually(async () => ((await insights())?.reviewCount === 1 ? insights() : undefined), 30_000, 'the published review counted')).toEqual({ reviewCount: 1, averageRating: 5 });

    const moderate = `mutation($ids: [ID!]!) { moderateReviews(ids: $ids, status: PUBLISHED) { moderated { id status } notFound } }`;
    expect((await gql(WRITER, moderate, { ids: [held] })).status).toBe(403);
    expect((await gql(MODERATOR, moderate, { ids: [held] })).body.data!.moderateReviews).toEqual({ moderated: [{ id: held, status: 'PUBLISHED' }], notFound: [] });
    expect((await listed(READER)).map((n: { id: string }) => n.id).sort()).toEqual([clean, held].sort());
    expect(await eventually(async () => ((await insights())?.reviewCount === 2 ? insights() : undefined), 30_000, 'the published review counted')).toEqual({ reviewCount: 2, averageRating: 3 });
  });
});
