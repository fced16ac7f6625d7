import { jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { connectBus } from '../../lib/bus/index.js';
import { INTERNAL_CONTEXT_HEADER, signInternalContext } from '../../lib/internal-context.js';
import { closeServer, listen } from '../../lib/http-server.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { submitReviews } from '../../subgraphs/collection/src/services/review-intake.js';
import { testInfra } from '../support/infra.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let database: Database;
let topics: ReviewTopics;
let server: Server;
let bus: Awaited<ReturnType<typeof freshBus>>['bus'];
let watchId: string;

async function run<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, tenant = 'tenant-a'): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller(tenant)) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

async function streamCount(): Promise<number> {
  const jsm = await jetstreamManager(bus.connection);
  return (await jsm.streams.info(topics.stream.name)).state.messages;
}

const review = (overrides: Record<string, unknown> = {}) => ({ productId: watchId, rating: 5, text: 'Super easy to use and the battery is strong.', ...overrides });
const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id duplicate } rejected { index field code message } } }`;

beforeAll(async () => {
  database = await freshDatabase('collection');
  ({ bus, topics } = await freshBus('collection'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const result = await run(`mutation { upsertProducts(input: { products: [
    { sku: "GW-100", name: "Trail GPS Watch", brand: "Northpeak", category: "sport-watch" },
    { sku: "GW-200", name: "Road Runner GPS", brand: "Northpeak", category: "sport-watch" } ] }) { products { id sku } rejected { index } } }`);
  watchId = result.data!.upsertProducts.products[0].id;
});

describe('products', () => {
  it('upserts by SKU without duplicating, and finds by id and SKU', async () => {
    const again = await run(`mutation { upsertProducts(input: { products: [{ sku: "GW-100", name: "Trail GPS Watch 2", category: "sport-watch" }] }) { products { id name } } }`);
    expect(again.data!.upsertProducts.products[0]).toEqual({ id: watchId, name: 'Trail GPS Watch 2' });
    const bySku = await run(`{ productBySku(sku: "GW-100") { id name brand } }`);
    expect(bySku.data!.productBySku).toEqual({ id: watchId, name: 'Trail GPS Watch 2', brand: null });
    const page = await run(`{ products(first: 1) { edges { node { sku } } pageInfo { hasNextPage endCursor } } }`);
    expect(page.data!.products.edges).toHaveLength(1);
    expect(page.data!.products.pageInfo.hasNextPage).toBe(true);
    const next = await run(`query($after: String) { products(first: 5, after: $after) { edges { node { sku } } pageInfo { hasNextPage } } }`, { after: page.data!.products.pageInfo.endCursor });
    expect(next.data!.products.edges).toHaveLength(1);
    expect(next.data!.products.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects bad product items one by one and stores the rest', async () => {
    const result = await run(`mutation($p: [ProductInput!]!) { upsertProducts(input: { products: $p }) { products { sku } rejected { index field code } } }`, {
      p: [{ sku: '', name: 'x' }, { sku: 'OK-1', name: 'Fine watch' }, { sku: 'bad sku!', name: 'x' }, { sku: 'OK-2', name: '   ' }, { sku: 'OK-3', name: 'n', category: 'Sport Watch' }],
    });
    expect(result.data!.upsertProducts.products.map((p: { sku: string }) => p.sku)).toEqual(['OK-1']);
    expect(result.data!.upsertProducts.rejected).toEqual([
      { index: 0, field: 'sku', code: 'REQUIRED' },
      { index: 2, field: 'sku', code: 'INVALID' },
      { index: 3, field: 'name', code: 'REQUIRED' },
      { index: 4, field: 'category', code: 'INVALID' },
    ]);
  });

  it('is invisible to another tenant', async () => {
    const other = await run(`query($id: ID!) { product(id: $id) { id } }`, { id: watchId }, 'tenant-b');
    expect(other.data!.product).toBeNull();
  });
});

describe('submitReviews', () => {
  it('stores valid reviews, publishes one event each, and reports invalid items with field-level codes', async () => {
    const before = await streamCount();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const result = await run(SUBMIT, {
      reviews: [
        review(),
        review({ rating: 0 }),
        review({ rating: 6 }),
        review({ rating: 4.5 }),
        review({ text: '' }),
        review({ text: '  \n\t ' }),
        review({ text: 'x'.repeat(20_001) }),
        review({ productId: 'prd_000000000000000000000000' }),
        review({ productId: '{"$gt": ""}' }),
        review({ createdAt: future }),
        review({ createdAt: 'last tuesday' }),
        review({ text: '{"$gt": ""}', author: '$where: sleep(1000)' }),
        review({ locale: 'not a locale!' }),
        review({ author: 'bell\u0007' }),
      ],
    });
    const { accepted, rejected } = result.data!.submitReviews;
    expect(accepted.map((a: { index: number }) => a.index)).toEqual([0, 11]);
    expect(rejected.map((r: { index: number; field: string; code: string }) => [r.index, r.field, r.code])).toEqual([
      [1, 'rating', 'OUT_OF_RANGE'],
      [2, 'rating', 'OUT_OF_RANGE'],
      [3, 'rating', 'INVALID'],
      [4, 'text', 'REQUIRED'],
      [5, 'text', 'REQUIRED'],
      [6, 'text', 'TOO_LONG'],
      [7, 'productId', 'UNKNOWN_PRODUCT'],
      [8, 'productId', 'INVALID'],
      [9, 'createdAt', 'FUTURE_DATE'],
      [10, 'createdAt', 'INVALID'],
      [12, 'locale', 'INVALID'],
      [13, 'author', 'INVALID'],
    ]);
    expect(await streamCount()).toBe(before + 2);
    const stored = await run(`query($id: ID!) { review(id: $id) { text author rating product { sku } } }`, { id: accepted[1].id });
    expect(stored.data!.review).toEqual({ text: '{"$gt": ""}', author: '$where: sleep(1000)', rating: 5, product: { sku: 'GW-100' } });
  });

  it('refuses more than 500 reviews in one call as a whole, storing nothing', async () => {
    const before = await database.db.collection('reviews').countDocuments();
    const result = await run(SUBMIT, { reviews: Array.from({ length: 501 }, () => review()) });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/at most 500/);
    expect(await database.db.collection('reviews').countDocuments()).toBe(before);
  });

  it('rejects unknown input fields with a GraphQL validation error', async () => {
    const result = await run(SUBMIT, { reviews: [{ ...review(), sneaky: true }] });
    expect(result.errors?.[0]?.message).toMatch(/sneaky/);
  });

  it('treats a resubmitted source + externalId as the stored review, not a new one', async () => {
    const first = await run(SUBMIT, { reviews: [review({ source: 'partner:acme', externalId: 'A-1' })] });
    const again = await run(SUBMIT, { reviews: [review({ source: 'partner:acme', externalId: 'A-1', text: 'changed' }), review({ source: 'partner:acme', externalId: 'A-1' })] });
    const id = first.data!.submitReviews.accepted[0].id;
    expect(again.data!.submitReviews.accepted).toEqual([{ index: 0, id, duplicate: true }, { index: 1, id, duplicate: true }]);
    const stored = await run(`query($id: ID!) { review(id: $id) { text source { name } externalId } }`, { id });
    expect(stored.data!.review).toEqual({ text: review().text, source: { name: 'partner:acme' }, externalId: 'A-1' });
  });

  it('lists a product\'s reviews newest first, caps first at 100, and refuses a forged cursor', async () => {
    const dates = ['2025-01-01T00:00:00Z', '2025-03-01T00:00:00Z', '2025-02-01T00:00:00Z'];
    const other = (await run(`{ productBySku(sku: "GW-200") { id } }`)).data!.productBySku.id;
    await run(SUBMIT, { reviews: dates.map((createdAt) => review({ productId: other, createdAt })) });
    const page = await run(`query($id: ID!) { product(id: $id) { reviews(first: 2) { edges { node { createdAt } } pageInfo { hasNextPage endCursor } } } }`, { id: other });
    const { edges, pageInfo } = page.data!.product.reviews;
    expect(edges.map((e: { node: { createdAt: string } }) => e.node.createdAt)).toEqual(['2025-03-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
    const rest = await run(`query($id: ID!, $after: String) { product(id: $id) { reviews(first: 1000, after: $after) { edges { node { createdAt } } pageInfo { hasNextPage } } } }`, { id: other, after: pageInfo.endCursor });
    expect(rest.data!.product.reviews.edges.map((e: { node: { createdAt: string } }) => e.node.createdAt)).toEqual(['2025-01-01T00:00:00.000Z']);
    const forged = await run(`query($id: ID!) { product(id: $id) { reviews(after: "not-a-cursor") { edges { cursor } } } }`, { id: other });
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const negative = await run(`query($id: ID!) { product(id: $id) { reviews(first: -1) { edges { cursor } } } }`, { id: other });
    expect(negative.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('federation', () => {
  it('serves its SDL through _service', async () => {
    const result = await run(`{ _service { sdl } }`);
    expect(result.data!._service.sdl).toMatch(/type Review\s+@key\(fields: "id"\)/);
    expect(result.data!._service.sdl).toMatch(/type Product\s+@key\(fields: "id"\)/);
  });

  it('resolves Product and Review _entities, batching many references into one load per type', async () => {
    const submitted = await run(SUBMIT, { reviews: Array.from({ length: 30 }, (_, i) => review({ text: `Review number ${i}: comfortable strap.` })) });
    const ids: string[] = submitted.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
    const reviewLoads = vi.spyOn(server.services.reviews, 'findByIds');
    const productLoads = vi.spyOn(server.services.products, 'findByIds');
    const representations = [...ids.map((id) => ({ __typename: 'Review', id })), { __typename: 'Product', id: watchId }, { __typename: 'Review', id: 'rev_ffffffffffffffffffffffff' }];
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { id text product { id } } ... on Product { id sku } } }`, { r: representations });
    const entities = result.data!._entities;
    expect(entities).toHaveLength(32);
    expect(entities.slice(0, 30).map((e: { id: string }) => e.id)).toEqual(ids);
    expect(entities[30]).toEqual({ id: watchId, sku: 'GW-100' });
    expect(entities[31]).toBeNull();
    expect(reviewLoads).toHaveBeenCalledTimes(1);
    expect(productLoads).toHaveBeenCalledTimes(1);
    reviewLoads.mockRestore();
    productLoads.mockRestore();
  });
});

describe('trust boundary', () => {
  it('refuses HTTP requests without a valid gateway signature and answers malformed bodies with 400', async () => {
    const port = await listen(server.http, 0);
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      const post = (body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const unsigned = await post(JSON.stringify({ query: '{ products { edges { cursor } } }' }));
      expect((await unsigned.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const typename = JSON.stringify({ query: '{ __typename }' });
      const forged = await post(typename, { [INTERNAL_CONTEXT_HEADER]: signInternalContext(caller(), 'some-other-secret-value', typename) });
      expect((await forged.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const signed = (body: string) => ({ [INTERNAL_CONTEXT_HEADER]: signInternalContext(caller(), TEST_SECRET, body) });
      const ok = await post(typename, signed(typename));
      expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
      const badJson = await post('{"query": ', signed('{"query": '));
      expect(badJson.status).toBe(400);
      const unparsable = JSON.stringify({ query: '{ products { ' });
      const badQuery = await post(unparsable, signed(unparsable));
      expect(badQuery.status).toBe(400);
      expect((await badQuery.json()).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    } finally {
      await closeServer(server.http);
    }
  });
});

describe('outbox sweeper', () => {
  it('republishes a review whose publish failed after it was stored, exactly once', async () => {
    const brokenBus = await connectBus({ natsUrl: testInfra().natsUrl, name: 'broken', log: silentLog, streams: [topics.stream] });
    await brokenBus.close();
    const deps = { ...server.services, publisher: brokenBus };
    const before = await streamCount();
    const result = await submitReviews(deps, 'tenant-a', [review({ text: 'Accurate GPS, could be better on battery.' })]);
    expect(result.accepted).toEqual([]);
    expect(result.rejected[0]).toMatchObject({ index: 0, code: 'NOT_PUBLISHED' });
    expect(await streamCount()).toBe(before);
    expect(await database.db.collection('outbox').countDocuments()).toBe(1);

    const swept = await sweepOutbox(server.services, { olderThanMs: 0 });
    expect(swept).toEqual({ republished: 1, dropped: 0, failed: 0 });
    expect(await streamCount()).toBe(before + 1);
    expect(await database.db.collection('outbox').countDocuments()).toBe(0);
    // A second sweep finds nothing; a duplicate publish of the same event would be deduplicated anyway.
    expect(await sweepOutbox(server.services, { olderThanMs: 0 })).toEqual({ republished: 0, dropped: 0, failed: 0 });
  });
});
