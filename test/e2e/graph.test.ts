import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';

const WRITE_KEY = 'e2e-write-key-0123456789abcdef';
const READ_KEY = 'e2e-read-key-0123456789abcdef00';
let stack: Stack;
let output: string[] = [];

async function gql(query: string, variables: Record<string, unknown> = {}, key: string | null = WRITE_KEY) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

beforeAll(async () => {
  stack = await startTestStack('e2e', {
    workers: 1,
    keys: [
      { key: WRITE_KEY, name: 'e2e-writer', tenantId: 'e2e', scopes: ['read', 'write'] },
      { key: READ_KEY, name: 'e2e-reader', tenantId: 'e2e', scopes: ['read'] },
    ],
    write: (line) => output.push(line),
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('one graph through the gateway', () => {
  it('submits reviews, then returns a product with its reviews, their sentiment and its insights in one query', async () => {
    const upsert = await gql(`mutation { upsertProducts(input: { products: [{ sku: "GW-E2E", name: "Trail GPS Watch", brand: "Northpeak", category: "sport-watch" }] }) { products { id } } }`);
    const productId = upsert.body.data!.upsertProducts.products[0].id;
    const texts = [
      [5, 'Super easy to use and the battery is strong.'],
      [4, 'Accurate GPS and a comfortable strap. Great for runners.'],
      [2, 'The battery died after a day and the strap broke. Disappointed.'],
    ] as const;
    const submit = await gql(`mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code } } }`, {
      r: texts.map(([rating, text]) => ({ productId, rating, text })),
    });
    expect(submit.body.data!.submitReviews.accepted).toHaveLength(3);

    const query = `query($id: ID!) { product(id: $id) { name
      reviews(first: 10) { edges { node { rating text analysis { status sentiment { label score } aspects { aspect polarity } } } } }
      insights { reviewCount averageRating sentimentBreakdown { positive neutral negative } analyzedCount } } }`;
    const product = await eventually(async () => {
      const result = await gql(query, { id: productId });
      const p = result.body.data?.product;
      return p?.insights?.analyzedCount === 3 ? p : undefined;
    }, 60_000, 'analysis and insights of all three reviews');
    expect(product.name).toBe('Trail GPS Watch');
    expect(product.reviews.edges).toHaveLength(3);
    for (const { node } of product.reviews.edges) expect(node.analysis.status).toBe('DONE');
    const labelOf = (text: string) => product.reviews.edges.find((e: { node: { text: string } }) => e.node.text === text).node.analysis.sentiment.label;
    expect(labelOf(texts[0][1])).toBe('POSITIVE');
    expect(labelOf(texts[2][1])).toBe('NEGATIVE');
    expect(product.insights).toMatchObject({ reviewCount: 3, averageRating: 3.67, analyzedCount: 3 });
    expect(product.insights.sentimentBreakdown.positive + product.insights.sentimentBreakdown.neutral + product.insights.sentimentBreakdown.negative).toBe(3);

    const negative = await gql(`query($id: ID!) { product(id: $id) { reviewsMentioning(aspect: "battery", polarity: NEGATIVE) { edges { node { rating text } } } } }`, { id: productId });
    expect(negative.body.data!.product.reviewsMentioning.edges.map((e: { node: { rating: number } }) => e.node.rating)).toEqual([2]);
  });

  it('deletes a review: it disappears from the graph, and its analysis and counts leave the insights', async () => {
    const productId = (await gql('{ productBySku(sku: "GW-E2E") { id } }')).body.data!.productBySku.id;
    const insights = async () => (await gql(`query($id: ID!) { product(id: $id) { insights { reviewCount analyzedCount sentimentBreakdown { negative } } } }`, { id: productId })).body.data!.product.insights;
    const before = await insights();
    const negative = await gql(`query($id: ID!) { product(id: $id) { reviewsMentioning(aspect: "battery", polarity: NEGATIVE) { edges { node { id } } } } }`, { id: productId });
    const victim = negative.body.data!.product.reviewsMentioning.edges[0].node.id;
    const deleted = await gql(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted notFound pending } }`, { ids: [victim, 'rev_ffffffffffffffffffffffff'] });
    expect(deleted.body.data!.deleteReviews).toEqual({ deleted: [victim], notFound: ['rev_ffffffffffffffffffffffff'], pending: [] });
    expect((await gql(`query($id: ID!) { review(id: $id) { id } }`, { id: victim })).body.data!.review).toBeNull();
    const after = await eventually(async () => {
      const now = await insights();
      return now.reviewCount === before.reviewCount - 1 && now.analyzedCount === before.analyzedCount - 1 ? now : undefined;
    }, 30_000, 'insights without the deleted review');
    expect(after.sentimentBreakdown.negative).toBe(before.sentimentBreakdown.negative - 1);
    const mentions = await gql(`query($id: ID!) { product(id: $id) { reviewsMentioning(aspect: "battery", polarity: NEGATIVE) { edges { node { id } } } } }`, { id: productId });
    expect(mentions.body.data!.product.reviewsMentioning.edges).toEqual([]);
    const malformed = await gql(`mutation { deleteReviews(ids: ["{\\"$gt\\": \\"\\"}"]) { deleted } }`);
    expect(malformed.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('answers GET /health with 200 while everything is up', async () => {
    const health = await fetch(stack.gatewayUrl.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
  });

  it('serves Prometheus metrics on the gateway and on the applications consumer', async () => {
    const gateway = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'), { headers: { 'x-api-key': READ_KEY } })).text();
    expect(gateway).toMatch(/reviewgraph_http_requests_total\{[^}]*path="\/graphql"[^}]*status="200"[^}]*\} [1-9]/);
    const applicationsUrl = stack.processes.find((p) => p.spec.name === 'applications')!.spec.env.APPLICATIONS_URL!;
    const applications = await (await fetch(applicationsUrl.replace('/graphql', '/metrics'))).text();
    expect(applications).toMatch(/reviewgraph_consumer_pending\{[^}]*\} 0/);
    expect(applications).toMatch(/reviewgraph_consumer_dead_letters\{[^}]*\} 0/);
  });

  it('refuses callers without a valid key, and read-only keys for mutations', async () => {
    const anonymous = await gql('{ products { edges { cursor } } }', {}, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const wrong = await gql('{ products { edges { cursor } } }', {}, 'not-a-real-key-at-all-000000');
    expect(wrong.status).toBe(401);
    const readOnly = await gql(`mutation { upsertProducts(input: { products: [{ sku: "X-1", name: "x" }] }) { products { id } } }`, {}, READ_KEY);
    expect(readOnly.body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const reads = await gql('{ products(first: 1) { edges { node { sku } } } }', {}, READ_KEY);
    expect(reads.body.data!.products.edges).toHaveLength(1);
  });

  it('answers malformed GraphQL with a GraphQL error, not a 500, and never leaks internals', async () => {
    const syntax = await gql('{ products { ');
    expect(syntax.status).toBeLessThan(500);
    expect(syntax.body.errors![0]!.message).toMatch(/Syntax Error/);
    const unknownField = await gql('{ products { nope } }');
    expect(unknownField.body.errors![0]!.message).toMatch(/nope/);
    const deep = await gql(`{ products { edges { node { reviews { edges { node { product { reviews { edges { node { product { reviews { edges { node { id } } } } } } } } } } } } } } }`);
    expect(deep.body.errors![0]!.message).toMatch(/depth/);
    const notJson = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': WRITE_KEY }, body: '{"query": ' });
    expect(notJson.status).toBeLessThan(500);
    expect(await notJson.clone().text()).not.toMatch(/originalError|SyntaxError/);
    const text = JSON.stringify([syntax.body, unknownField.body, deep.body, await notJson.text()]);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|stack|at \w+ \(|Mongo/);
  });

  it('never lets a client reach a subgraph around the gateway', async () => {
    const collectionUrl = stack.processes.find((p) => p.spec.name === 'collection')!.spec.env.COLLECTION_URL!;
    const direct = await fetch(collectionUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ products { edges { cursor } } }' }) });
    const body = (await direct.json()) as { errors: Array<{ extensions: { code: string } }>; data?: unknown };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
  });
});
