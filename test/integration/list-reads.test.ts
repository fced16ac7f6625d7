import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPageFilter } from '../../lib/list-key.js';
import type { Database } from '../../lib/mongo.js';
import { reviewList } from '../../subgraphs/collection/src/models/lists.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';

type Server = Awaited<ReturnType<typeof createServer>>;
type Result<T = Record<string, any>> = { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
interface Listed { id: string; rating: number; createdAt: string }

let client: MongoClient;
let database: Database;
let topics: ReviewTopics;
let server: Server;
let productA: string;
let productB: string;
/** Database commands the subgraph sent, as the driver saw them. */
const commands: CommandStartedEvent[] = [];
const DATA_COMMANDS = new Set(['find', 'getMore', 'aggregate', 'count', 'insert', 'update', 'delete', 'findAndModify']);

async function run<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, tenant = 'tenant-a'): Promise<Result<T>> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller(tenant)) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { id } rejected { index code message } } }`;
const REVIEWS = `query($r: [_Any!]!, $first: Int, $after: String, $orderBy: ReviewOrder, $rating: Int) { _entities(representations: $r) { ... on Product {
  reviews(first: $first, after: $after, orderBy: $orderBy, rating: $rating) { edges { cursor node { id rating createdAt } } pageInfo { hasNextPage endCursor } } } } }`;

async function reviewsPage(product: string, args: Record<string, unknown>, tenant = 'tenant-a') {
  const result = await run(REVIEWS, { r: [{ __typename: 'Product', id: product }], ...args }, tenant);
  const connection = result.data?._entities[0]?.reviews as { edges: Array<{ cursor: string; node: Listed }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined;
  return { connection, errors: result.errors };
}

/** Every review of a list, paging `first` at a time; fails on a repeated review. */
async function readAll(product: string, args: Record<string, unknown>, first: number): Promise<Listed[]> {
  const all: Listed[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const { connection, errors } = await reviewsPage(product, { ...args, first, after });
    expect(errors).toBeUndefined();
    all.push(...connection!.edges.map((e) => e.node));
    if (!connection!.pageInfo.hasNextPage) break;
    after = connection!.pageInfo.endCursor;
  }
  expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
  return all;
}

async function submit(reviews: Array<Record<string, unknown>>): Promise<string[]> {
  const result = await run(SUBMIT, { reviews });
  expect(result.errors).toBeUndefined();
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
}

const base = Date.parse('2026-06-01T12:00:00.000Z');
/** 130 reviews of product A: ratings 1-5, and every fifth shares its time with the one before (ties). */
const datedReviews = (product: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    productId: product,
    rating: 1 + ((i * 7) % 5),
    text: `Review number ${i} of this watch.`,
    createdAt: new Date(base - (i - (i % 5 === 4 ? 1 : 0)) * 60_000).toISOString(),
  }));

const byId = (a: Listed, b: Listed) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const time = (r: Listed) => Date.parse(r.createdAt);
const ORDERS: Record<string, (a: Listed, b: Listed) => number> = {
  NEWEST: (a, b) => time(b) - time(a) || -byId(a, b),
  OLDEST: (a, b) => time(a) - time(b) || byId(a, b),
  HIGHEST_RATING: (a, b) => b.rating - a.rating || time(b) - time(a) || -byId(a, b),
  LOWEST_RATING: (a, b) => a.rating - b.rating || time(a) - time(b) || byId(a, b),
};

let stored: Listed[] = [];

beforeAll(async () => {
  client = new MongoClient(testInfra().mongoUri, { monitorCommands: true });
  await client.connect();
  const db = client.db(uniqueName('lists'));
  const info = await db.admin().command({ buildInfo: 1 });
  database = { client, db, isFerretDB: typeof info.ferretdbVersion === 'string', close: () => client.close() };
  client.on('commandStarted', (event) => {
    if (DATA_COMMANDS.has(event.commandName)) commands.push(event);
  });
  const { bus, topics: fresh } = await freshBus('lists');
  topics = fresh;
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "LIST-A", name: "Listed watch" }, { sku: "LIST-B", name: "Other watch" }] }) { products { id } } }`);
  [productA, productB] = products.data!.upsertProducts.products.map((p: { id: string }) => p.id);
  await submit(datedReviews(productA, 130));
  await submit(datedReviews(productB, 6));
  const fetched = await database.db.collection('reviews').find({ productId: productA }).toArray();
  stored = fetched.map((d) => ({ id: d._id as unknown as string, rating: d.rating as number, createdAt: (d.createdAt as Date).toISOString() }));
}, 60_000);

afterAll(async () => {
  await database.db.dropDatabase();
  await client.close();
});

describe('a product’s reviews, read from their keyed lists', () => {
  it('pages through every order and a rating filter in exactly the order asked, ties by id, each review once', async () => {
    expect(stored).toHaveLength(130);
    for (const [order, compare] of Object.entries(ORDERS)) {
      expect(await readAll(productA, { orderBy: order }, 17), order).toEqual([...stored].sort(compare));
    }
    for (const rating of [1, 5]) {
      const ofRating = stored.filter((r) => r.rating === rating);
      expect(await readAll(productA, { rating }, 4)).toEqual([...ofRating].sort(ORDERS.NEWEST));
      expect(await readAll(productA, { rating, orderBy: 'OLDEST' }, 4)).toEqual([...ofRating].sort(ORDERS.OLDEST));
    }
    // the other product's list holds only its own reviews
    expect((await readAll(productB, {}, 100)).length).toBe(6);
  });

  it('sends the same few database commands for a page of 10 and of 100', async () => {
    const count = async (first: number) => {
      commands.length = 0;
      const result = await run(`query($r: [_Any!]!, $first: Int) { _entities(representations: $r) { ... on Product { id name reviews(first: $first) { edges { node { id rating product { id sku } } } } } } }`, {
        r: [{ __typename: 'Product', id: productA }],
        first,
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0].reviews.edges).toHaveLength(first);
      return commands.map((c) => c.commandName);
    };
    const ten = await count(10);
    const hundred = await count(100);
    // the product, the list's entries, the reviews (`$in`), the reviews' products (`$in`, one batch)
    expect(ten.length).toBeLessThanOrEqual(4);
    expect(hundred).toEqual(ten);
  });

  it('reads a page as one _id range of the list entries, with its sort and limit served by the index', async () => {
    const list = reviewList('tenant-a', productA, 'NEWEST', null);
    const explain = await database.db.collection('list_entries').find(listPageFilter(list.prefix, list.direction, null), { sort: { _id: list.direction }, limit: 11 }).explain();
    if (typeof (explain.serverInfo as { ferretdbVersion?: unknown } | undefined)?.ferretdbVersion === 'string') {
      expect(JSON.stringify(explain.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+__id_ \(<expr>>\? AND <expr><\?\)/);
      expect([explain.filterPushdown, explain.sortPushdown, explain.limitPushdown]).toEqual([true, true, true]);
    } else {
      expect(JSON.stringify(explain)).not.toMatch(/COLLSCAN|SORT_KEY_GENERATOR|"stage":"SORT"/);
    }
  });

  it('keeps pages stable while reviews are inserted, and drops deleted reviews', async () => {
    const first = await reviewsPage(productA, { first: 5 });
    const firstIds = first.connection!.edges.map((e) => e.node.id);
    // one newer than everything (before the cursor), one in the middle of what is still to come
    const [newest, middle] = await submit([
      { productId: productA, rating: 3, text: 'Newest review, written after the first page.', createdAt: new Date(base + 60_000).toISOString() },
      { productId: productA, rating: 3, text: 'A review dated in the middle of the list.', createdAt: new Date(base - 50.5 * 60_000).toISOString() },
    ]);
    const rest: Listed[] = [];
    let after = first.connection!.pageInfo.endCursor;
    for (;;) {
      const { connection } = await reviewsPage(productA, { first: 25, after });
      rest.push(...connection!.edges.map((e) => e.node));
      if (!connection!.pageInfo.hasNextPage) break;
      after = connection!.pageInfo.endCursor;
    }
    const seen = [...firstIds, ...rest.map((r) => r.id)];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(newest);
    expect(seen.filter((id) => id === middle)).toHaveLength(1);
    const middleListed = { id: middle!, rating: 3, createdAt: new Date(base - 50.5 * 60_000).toISOString() };
    expect(rest.map((r) => r.id)).toEqual([...stored, middleListed].sort(ORDERS.NEWEST).filter((r) => !firstIds.includes(r.id)).map((r) => r.id));

    const deleted = await run(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted notFound pending } }`, { ids: [firstIds[0], middle] });
    expect(deleted.errors).toBeUndefined();
    const after2 = await readAll(productA, {}, 100);
    expect(after2.map((r) => r.id)).not.toContain(firstIds[0]);
    expect(after2.map((r) => r.id)).not.toContain(middle);
    expect(after2.map((r) => r.id)).toContain(newest);
    const highest = await readAll(productA, { orderBy: 'HIGHEST_RATING' }, 100);
    expect(highest.map((r) => r.id)).not.toContain(firstIds[0]);
    stored = stored.filter((r) => r.id !== firstIds[0]);
  });

  it('refuses cursors that are forged, truncated, huge, or from another list, order or tenant, and bounds first', async () => {
    const page = await reviewsPage(productA, { first: 3 });
    const cursor = page.connection!.pageInfo.endCursor!;
    const refused = async (args: Record<string, unknown>, tenant = 'tenant-a') => {
      const { errors } = await reviewsPage(productA, args, tenant);
      expect(errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
      expect(errors?.[0]?.message).not.toMatch(/mongo|ferret|sqlite|stack/i);
    };
    await refused({ after: 'not-a-cursor' });
    await refused({ after: Buffer.from('{"l":"x","k":"|1"}').toString('base64url') });
    await refused({ after: cursor.slice(0, Math.floor(cursor.length / 2)) });
    await refused({ after: 'A'.repeat(100_000) });
    await refused({ after: cursor, orderBy: 'OLDEST' });
    await refused({ after: cursor, rating: 5 });
    // another tenant's product of the same SKU: the cursor is bound to tenant-a's list
    const theirs = await run(`mutation { upsertProducts(input: { products: [{ sku: "LIST-A", name: "Their watch" }] }) { products { id } } }`, {}, 'tenant-b');
    const theirProduct = theirs.data!.upsertProducts.products[0].id as string;
    const crossTenant = await reviewsPage(theirProduct, { after: cursor }, 'tenant-b');
    expect(crossTenant.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const otherProduct = await reviewsPage(productB, { first: 1 });
    await refused({ after: otherProduct.connection!.pageInfo.endCursor });
    // a cursor whose key is rewritten to point past the list stays inside it
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { l: string; k: string };
    await refused({ after: Buffer.from(JSON.stringify({ ...decoded, k: '0' })).toString('base64url') });
    const forgedInside = await reviewsPage(productA, { first: 100, after: Buffer.from(JSON.stringify({ ...decoded, k: '|' })).toString('base64url') });
    expect(forgedInside.errors).toBeUndefined();
    expect(forgedInside.connection!.edges.every((e) => stored.some((r) => r.id === e.node.id))).toBe(true);

    await refused({ first: -1 });
    await refused({ rating: 6 });
    const none = await reviewsPage(productA, { first: 0 });
    expect(none.connection!.edges).toEqual([]);
    const capped = await reviewsPage(productA, { first: 1_000_000 });
    expect(capped.connection!.edges).toHaveLength(100);
    expect(capped.connection!.pageInfo.hasNextPage).toBe(true);
    // another tenant does not even see this product
    const otherTenant = await run(REVIEWS, { r: [{ __typename: 'Product', id: productA }], first: 10 }, 'tenant-b');
    expect(otherTenant.data!._entities).toEqual([null]);
  });
});

describe('products, read from the tenant’s keyed list', () => {
  it('pages through the tenant’s products in id order, each once, and refuses another list’s cursor', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: Result = await run(`query($after: String) { products(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after });
      ids.push(...result.data!.products.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!result.data!.products.pageInfo.hasNextPage) break;
      after = result.data!.products.pageInfo.endCursor;
    }
    expect(ids).toEqual([productA, productB].sort());
    const reviewCursor = (await reviewsPage(productA, { first: 1 })).connection!.pageInfo.endCursor;
    const refused = await run(`query($after: String) { products(first: 1, after: $after) { edges { node { id } } } }`, { after: reviewCursor });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const otherTenant = await run(`query($after: String) { products(first: 5, after: $after) { edges { node { id } } } }`, { after }, 'tenant-b');
    expect(otherTenant.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const theirs = (await run(`{ products(first: 5) { edges { node { id sku name } } } }`, {}, 'tenant-b')).data!.products.edges;
    expect(theirs.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Their watch']);
  });
});

describe('a store written before the lists existed', () => {
  it('lists its products and reviews after the first start', async () => {
    const legacy = await freshDatabase('lists-legacy');
    const now = new Date('2026-03-01T00:00:00Z');
    const product = { _id: 'prd_00000000000000000000aaaa', tenantId: 'tenant-a', sku: 'OLD-1', name: 'Old watch', brand: null, category: null, createdAt: now, updatedAt: now };
    await legacy.db.collection('products').insertOne(product as never);
    await legacy.db.collection('reviews').insertMany([1, 2, 3].map((i) => ({
      _id: `rev_00000000000000000000aaa${i}`, tenantId: 'tenant-a', productId: product._id, rating: i, title: null, text: `old review ${i}`, author: null, locale: null,
      createdAt: new Date(now.getTime() + i * 1000), receivedAt: now, source: 'api', externalId: null,
    })) as never);
    const { bus, topics: legacyTopics } = await freshBus('lists-legacy');
    const started = await createServer({ database: legacy, publisher: bus, topics: legacyTopics, log: silentLog, internalSecret: TEST_SECRET });
    const response = await started.apollo.executeOperation(
      { query: `{ products(first: 5) { edges { node { id reviews(first: 5) { edges { node { id } } } } } } }` },
      { contextValue: started.contextFor(caller('tenant-a')) },
    );
    const result = (response.body as { singleResult: Result }).singleResult;
    expect(result.errors).toBeUndefined();
    expect(result.data!.products.edges).toEqual([{ node: { id: product._id, reviews: { edges: [3, 2, 1].map((i) => ({ node: { id: `rev_00000000000000000000aaa${i}` } })) } } }]);
  });
});
