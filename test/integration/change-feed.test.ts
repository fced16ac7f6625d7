// The partner change feed (reviewChanges): one total order per tenant, resumable cursors, replay = store.
import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let productId: string;

async function run(query: string, variables: Record<string, unknown> = {}, tenant = 'tenant-a', scopes = ['read', 'write']): Promise<{ data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor({ ...caller(tenant), scopes }) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id revision edited } rejected { index code message } } }`;
const CHANGES = `query($after: String, $first: Int) { reviewChanges(after: $after, first: $first) { edges { cursor node { kind reviewId revision at review { id rating text revision } } } pageInfo { hasNextPage endCursor } } }`;

type Copy = Map<string, { rating: number; text: string; revision: number }>;

/** Applies one page of changes to a partner's copy, as a partner would: the review as shown, or gone. */
function apply(copy: Copy, page: any) {
  for (const { node } of page.edges) {
    if (node.review) copy.set(node.reviewId, { rating: node.review.rating, text: node.review.text, revision: node.review.revision });
    else copy.delete(node.reviewId);
  }
}

async function storeState(tenant = 'tenant-a'): Promise<Copy> {
  const docs = await server.services.reviews.collection.find({ tenantId: tenant }).toArray();
  return new Map(docs.map((d) => [d._id, { rating: d.rating, text: d.text, revision: d.revision ?? 1 }]));
}

const review = (n: number, overrides: Record<string, unknown> = {}) => ({ productId, rating: (n % 5) + 1, text: `Review ${n}: the battery lasts and the strap fits.`, source: 'partner:feed', externalId: `F-${n}`, ...overrides });

beforeAll(async () => {
  const database = await freshDatabase('feed');
  const { bus, topics } = await freshBus('feed');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const product = await run(`mutation { upsertProducts(input: { products: [{ sku: "FEED-1", name: "Feed watch" }] }) { products { id } } }`);
  productId = product.data!.upsertProducts.products[0].id;
});

describe('reviewChanges', () => {
  it('replays from the start into exactly the store, with creates, edits and deletions interleaved with paging', async () => {
    await run(SUBMIT, { reviews: Array.from({ length: 30 }, (_, n) => review(n)) });
    const copy: Copy = new Map();
    let after: string | null = null;
    let pages = 0;
    const kinds = new Set<string>();
    for (;;) {
      const page: any = (await run(CHANGES, { after, first: 7 })).data!.reviewChanges;
      apply(copy, page);
      for (const e of page.edges) kinds.add(e.node.kind);
      pages++;
      // while the partner pages: edits of reviews already read and not yet read, deletions, new reviews
      if (pages === 1) await run(SUBMIT, { reviews: [review(0, { text: 'Edited after it was read.' }), review(25, { rating: 1, text: 'Edited before it was read.' })] });
      if (pages === 2) {
        const ids = [...(await storeState()).keys()].slice(0, 3);
        await run(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted } }`, { ids });
        await run(SUBMIT, { reviews: [review(100), review(101)] });
      }
      if (pages === 3) await run(SUBMIT, { reviews: [review(100, { text: 'A new review, then edited.' })] });
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(pages).toBeGreaterThan(4);
    expect(kinds).toEqual(new Set(['CREATED', 'UPDATED', 'DELETED']));
    expect(copy).toEqual(await storeState());

    // the last cursor resumes: nothing new gives an empty page that keeps the cursor; a change since is all that comes
    const idle: any = (await run(CHANGES, { after })).data!.reviewChanges;
    expect(idle).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: after } });
    await run(SUBMIT, { reviews: [review(7, { text: 'Edited once more.' })] });
    const next: any = (await run(CHANGES, { after })).data!.reviewChanges;
    expect(next.edges.map((e: any) => [e.node.kind, e.node.review.text])).toEqual([['UPDATED', 'Edited once more.']]);
    apply(copy, next);
    expect(copy).toEqual(await storeState());
    // one total order: sequence numbers strictly increase along the feed
    const all = await server.services.changes.collection.find({ tenantId: 'tenant-a' }).sort({ _id: 1 }).toArray();
    expect(all.map((d) => d.seq)).toEqual([...all.map((d) => d.seq)].sort((a, b) => a - b));
  });

  it('gives concurrent writers one order without gaps in what a reader sees', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, c) => run(SUBMIT, { reviews: Array.from({ length: 10 }, (_, n) => review(1_000 + c * 100 + n)) })));
    const seqs = (await server.services.changes.collection.find({ tenantId: 'tenant-a' }).toArray()).map((d) => d.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const copy: Copy = new Map();
    let after: string | null = null;
    for (;;) {
      const page: any = (await run(CHANGES, { after, first: 100 })).data!.reviewChanges;
      apply(copy, page);
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(copy).toEqual(await storeState());
  });

  it('appends from writers racing for the same sequence numbers (as processes do) each change in one order, every one of them', async () => {
    const tenant = 'tenant-race';
    const writers = Array.from({ length: 8 }, (_, w) => Array.from({ length: 25 }, (_, i) => ({ kind: 'CREATED' as const, reviewId: `rev_w${w}_${i}`, productId, revision: 1 })));
    await Promise.all(writers.map((changes) => server.services.changes.append(tenant, changes, new Date())));
    const entries = await server.services.changes.collection.find({ tenantId: tenant }).sort({ _id: 1 }).toArray();
    // every change is there (at least once: a retry after an unclear failure may repeat one), one number each
    expect(new Set(entries.map((e) => e.reviewId)).size).toBe(200);
    expect(new Set(entries.map((e) => e.seq)).size).toBe(entries.length);
    expect(entries.length).toBeLessThan(210);
    // each writer's changes keep their order
    for (let w = 0; w < 8; w++) {
      const mine = [...new Set(entries.filter((e) => e.reviewId.startsWith(`rev_w${w}_`)).map((e) => Number(e.reviewId.split('_')[2])))];
      expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => i));
    }
  });

  it('shows a key that may only read a held review as null until a moderator publishes it (STATUS_CHANGED)', async () => {
    const tenant = 'tenant-moderated';
    const product = (await run(`mutation { upsertProducts(input: { products: [{ sku: "FEED-M", name: "Moderated watch" }] }) { products { id } } }`, {}, tenant)).data!.upsertProducts.products[0].id;
    await run(`mutation { setModerationPolicy(hold: [LINK_OR_CONTACT]) { hold } }`, {}, tenant, ['read', 'moderate']);
    const held = (await run(SUBMIT, { reviews: [{ productId: product, rating: 5, text: 'Great deals at https://spam.example.com now' }, { productId: product, rating: 4, text: 'Solid watch.' }] }, tenant)).data!.submitReviews.accepted.map((a: { id: string }) => a.id);
    const replay = async (scopes: string[]) => {
      const copy: Copy = new Map();
      let after: string | null = null;
      for (;;) {
        const page: any = (await run(CHANGES, { after, first: 100 }, tenant, scopes)).data!.reviewChanges;
        apply(copy, page);
        after = page.pageInfo.endCursor;
        if (!page.pageInfo.hasNextPage) return copy;
      }
    };
    expect([...(await replay(['read'])).keys()]).toEqual([held[1]]);
    expect([...(await replay(['read', 'write'])).keys()].sort()).toEqual([...held].sort());
    await run(`mutation($ids: [ID!]!) { moderateReviews(ids: $ids, status: PUBLISHED) { moderated { id } } }`, { ids: [held[0]] }, tenant, ['read', 'moderate']);
    expect([...(await replay(['read'])).keys()].sort()).toEqual([...held].sort());
    const kinds = (await server.services.changes.collection.find({ tenantId: tenant, reviewId: held[0] }).toArray()).map((c) => c.kind);
    expect(kinds).toEqual(['CREATED', 'STATUS_CHANGED']);
  });

  it('refuses a cursor from another tenant, a forged one and a truncated one, with a clear error', async () => {
    const mine: any = (await run(CHANGES, { first: 2 })).data!.reviewChanges;
    const cursor = mine.pageInfo.endCursor as string;
    const forged = Buffer.from(JSON.stringify({ l: 'x', k: '|000000000000001' })).toString('base64url');
    for (const [after, tenant] of [[cursor, 'tenant-b'], [forged, 'tenant-a'], [cursor.slice(0, -5), 'tenant-a'], ['not a cursor', 'tenant-a']] as const) {
      const result = await run(CHANGES, { after }, tenant);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/not a cursor of your change feed/);
    }
    // another tenant's feed holds none of tenant-a's reviews
    const theirs: any = (await run(CHANGES, { first: 100 }, 'tenant-b')).data!.reviewChanges;
    const mineIds = new Set((await storeState()).keys());
    expect(theirs.edges.some((e: any) => mineIds.has(e.node.reviewId))).toBe(false);
    expect((await run(CHANGES, { first: -1 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await run(CHANGES, { first: 1_000_000 })).data!.reviewChanges.edges.length).toBeLessThanOrEqual(100);
  });
});
