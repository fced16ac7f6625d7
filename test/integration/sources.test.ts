import { jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { InternalContext } from '../../lib/internal-context.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { reviewIdFor } from '../../subgraphs/collection/src/models/review.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
type Result = { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
let server: Server;
let topics: ReviewTopics;
let bus: Awaited<ReturnType<typeof freshBus>>['bus'];
let productId: string;

async function run(query: string, variables: Record<string, unknown> = {}, who: InternalContext = caller()): Promise<Result> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(who) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result;
}

const CREATE = `mutation($name: String!, $kind: SourceKind!) { createSource(input: { name: $name, kind: $kind }) { id name kind implicit } }`;
const UPDATE = `mutation($id: ID!, $kind: SourceKind!) { updateSource(input: { id: $id, kind: $kind }) { id name kind implicit } }`;
const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { id duplicate } rejected { index field code } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) { externalId source { id name kind implicit } syndicatedFrom { name kind } } }`;

beforeAll(async () => {
  const database = await freshDatabase('sources');
  ({ bus, topics } = await freshBus('sources'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "SRC-1", name: "Trail GPS Watch", category: "sport-watch" }] }) { products { id } } }`);
  productId = products.data!.upsertProducts.products[0].id;
});

describe('sources', () => {
  it('creates a source per tenant, refuses the same name twice with CONFLICT and a bad name with BAD_USER_INPUT', async () => {
    const created = await run(CREATE, { name: 'retailer:northmart', kind: 'RETAILER' });
    expect(created.data!.createSource).toMatchObject({ name: 'retailer:northmart', kind: 'RETAILER', implicit: false });
    expect(created.data!.createSource.id).toMatch(/^src_[0-9a-f]{24}$/);
    const twice = await run(CREATE, { name: 'retailer:northmart', kind: 'PARTNER' });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(twice.errors?.[0]?.message).toMatch(/already exists/);
    for (const name of ['', 'has space', '{"$gt": ""}', 'x'.repeat(65)]) {
      const bad = await run(CREATE, { name, kind: 'PARTNER' });
      expect(bad.errors?.[0]?.extensions?.code, name).toBe('BAD_USER_INPUT');
    }
    // The same name in another tenant is another source.
    const other = await run(CREATE, { name: 'retailer:northmart', kind: 'WEBSITE' }, caller('tenant-b'));
    expect(other.data!.createSource.id).not.toBe(created.data!.createSource.id);
    const seen = await run(`query($id: ID!) { source(id: $id) { name } }`, { id: created.data!.createSource.id }, caller('tenant-b'));
    expect(seen.data!.source).toBeNull();
  });

  it('updates a kind, not a name; an id of another tenant or of nothing is NOT_FOUND', async () => {
    const created = await run(CREATE, { name: 'app:ios', kind: 'PARTNER' });
    const id = created.data!.createSource.id;
    const updated = await run(UPDATE, { id, kind: 'APP_STORE' });
    expect(updated.data!.updateSource).toEqual({ id, name: 'app:ios', kind: 'APP_STORE', implicit: false });
    expect((await run(`{ sourceByName(name: "app:ios") { id kind } }`)).data!.sourceByName).toEqual({ id, kind: 'APP_STORE' });
    for (const [target, who] of [[id, caller('tenant-b')], ['src_ffffffffffffffffffffffff', caller()], ['{"$ne": null}', caller()]] as const) {
      const missing = await run(UPDATE, { id: target, kind: 'IMPORT' }, who);
      expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await run(`{ sourceByName(name: "app:ios") { kind } }`, {}, caller('tenant-b'))).data!.sourceByName).toBeNull();
  });

  it('needs the write scope to create or update', async () => {
    const reader: InternalContext = { ...caller(), scopes: ['read'] };
    const create = await run(CREATE, { name: 'partner:nope', kind: 'PARTNER' }, reader);
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const id = (await run(`{ sourceByName(name: "app:ios") { id } }`)).data!.sourceByName.id;
    const update = await run(UPDATE, { id, kind: 'IMPORT' }, reader);
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await run(`{ sourceByName(name: "partner:nope") { id } }`)).data!.sourceByName).toBeNull();
  });

  it('points reviews at their source: a new name becomes an implicit source with the documented kind, the (source, externalId) identity is unchanged', async () => {
    const submitted = await run(SUBMIT, { reviews: [
      { productId, rating: 5, text: 'Great watch.', source: 'partner:acme', externalId: 'A-1' },
      { productId, rating: 4, text: 'Good strap.', source: 'retailer:northmart', externalId: 'N-1', syndicatedFrom: 'retailer:bigshop' },
      { productId, rating: 3, text: 'Fine.' },
      { productId, rating: 3, text: 'Bad origin.', syndicatedFrom: 'not a name' },
    ] });
    expect(submitted.data!.submitReviews.rejected).toEqual([{ index: 3, field: 'syndicatedFrom', code: 'INVALID' }]);
    const [acme, syndicated, plain] = submitted.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
    expect(acme).toBe(reviewIdFor('tenant-a', 'partner:acme', 'A-1'));
    expect((await run(REVIEW, { id: acme })).data!.review).toMatchObject({ externalId: 'A-1', source: { name: 'partner:acme', kind: 'PARTNER', implicit: true }, syndicatedFrom: null });
    const created = (await run(`{ sourceByName(name: "retailer:northmart") { id } }`)).data!.sourceByName.id;
    expect((await run(REVIEW, { id: syndicated })).data!.review).toMatchObject({ source: { id: created, name: 'retailer:northmart', kind: 'RETAILER', implicit: false }, syndicatedFrom: { name: 'retailer:bigshop', kind: 'RETAILER' } });
    expect((await run(REVIEW, { id: plain })).data!.review.source).toMatchObject({ name: 'api', kind: 'WEBSITE', implicit: true });
    // Creating a name reviews introduced claims it: same id, the kind given, no longer implicit.
    const acmeId = (await run(REVIEW, { id: acme })).data!.review.source.id;
    const claimed = await run(CREATE, { name: 'partner:acme', kind: 'RETAILER' });
    expect(claimed.data!.createSource).toEqual({ id: acmeId, name: 'partner:acme', kind: 'RETAILER', implicit: false });
    const again = await run(SUBMIT, { reviews: [{ productId, rating: 5, text: 'Great watch.', source: 'partner:acme', externalId: 'A-1' }] });
    expect(again.data!.submitReviews.accepted).toEqual([{ id: acme, duplicate: true }]);
  });

  it('puts the source name on the review.submitted event', async () => {
    const submitted = await run(SUBMIT, { reviews: [{ productId, rating: 2, text: 'Strap broke.', source: 'import:legacy', externalId: 'L-1' }] });
    const id = submitted.data!.submitReviews.accepted[0].id;
    const jsm = await jetstreamManager(bus.connection);
    const message = await jsm.streams.getMessage(topics.stream.name, { last_by_subj: topics.submitted });
    expect(message?.json<{ data: Record<string, unknown> }>().data).toMatchObject({ reviewId: id, source: 'import:legacy' });
    expect((await run(REVIEW, { id })).data!.review.source).toMatchObject({ kind: 'IMPORT', implicit: true });
  });

  it('resolves a review stored before sources existed to a source of its name', async () => {
    const id = 'rev_0123456789abcdef01234567';
    await server.services.reviews.insertNew([{ _id: id, tenantId: 'tenant-a', productId, rating: 4, title: null, text: 'Old one.', author: null, locale: null, createdAt: new Date('2024-01-01'), receivedAt: new Date('2024-01-01'), source: 'web', externalId: null }]);
    expect((await run(REVIEW, { id })).data!.review.source).toMatchObject({ name: 'web', kind: 'WEBSITE', implicit: true });
    expect((await run(`{ sourceByName(name: "web") { kind } }`)).data!.sourceByName).toEqual({ kind: 'WEBSITE' });
  });

  it('lists the tenant\'s sources by name in pages, and only its own', async () => {
    const names = async (who: InternalContext) => {
      const all: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Result = await run(`query($after: String) { sources(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`, { after }, who);
        all.push(...page.data!.sources.edges.map((e: { node: { name: string } }) => e.node.name));
        if (!page.data!.sources.pageInfo.hasNextPage) return all;
        after = page.data!.sources.pageInfo.endCursor;
      }
    };
    expect(await names(caller())).toEqual(['api', 'app:ios', 'import:legacy', 'partner:acme', 'retailer:bigshop', 'retailer:northmart', 'web']);
    expect(await names(caller('tenant-b'))).toEqual(['retailer:northmart']);
    const forged = await run(`{ sources(after: "bogus") { edges { cursor } } }`);
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves Source _entities in one batched load', async () => {
    const ids = (await run(`{ sources(first: 10) { edges { node { id name } } } }`)).data!.sources.edges.map((e: { node: { id: string } }) => e.node.id);
    const loads = vi.spyOn(server.services.sources, 'findByIds');
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Source { id kind } } }`, { r: [...ids, 'src_ffffffffffffffffffffffff'].map((id) => ({ __typename: 'Source', id })) });
    expect(result.data!._entities.slice(0, ids.length).map((s: { id: string }) => s.id)).toEqual(ids);
    expect(result.data!._entities.at(-1)).toBeNull();
    expect(loads).toHaveBeenCalledTimes(1);
    loads.mockRestore();
  });
});
