import { jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InternalContext } from '../../lib/internal-context.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';
import { operationRunner } from '../support/subgraph-operation.js';

let server: Awaited<ReturnType<typeof createServer>>;
let topics: ReviewTopics;
let bus: Awaited<ReturnType<typeof freshBus>>['bus'];
let watch: string;
let strap: string;

const as = (scopes: string[], tenant = 'tenant-a'): InternalContext => ({ ...caller(tenant), scopes });
const WRITER = as(['read', 'write']);
const READER = as(['read']);
const MODERATOR = as(['read', 'moderate']);

const run = operationRunner(() => server, WRITER);

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id } rejected { index code } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) { id status moderationReason signals } }`;
const LIST = `query($id: ID!) { product(id: $id) { reviews(first: 100) { edges { node { id status } } } } }`;
const MODERATE = `mutation($ids: [ID!]!, $status: ReviewStatus!, $reason: String) { moderateReviews(ids: $ids, status: $status, reason: $reason) { moderated { id status moderationReason } notFound pending } }`;
const POLICY = `mutation($hold: [ReviewSignal!]!) { setModerationPolicy(hold: $hold) { hold updatedAt } }`;

async function submit(reviews: Array<Record<string, unknown>>): Promise<string[]> {
  const result = await run(SUBMIT, { reviews });
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
}
const listed = async (productId: string, who: InternalContext) => (await run(LIST, { id: productId }, who)).data!.product.reviews.edges.map((e: { node: { id: string } }) => e.node.id);

beforeAll(async () => {
  const database = await freshDatabase('moderation');
  ({ bus, topics } = await freshBus('moderation'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "MOD-1", name: "Watch" }, { sku: "MOD-2", name: "Strap" }] }) { products { id } } }`);
  [watch, strap] = products.data!.upsertProducts.products.map((p: { id: string }) => p.id);
});

describe('signals', () => {
  it('gives each review the signals of its words and flags a near-duplicate of another review of the product; with no policy every review is published', async () => {
    const [link, mail, phone, repeated, first, twin, otherProduct, plain] = await submit([
      { productId: watch, rating: 1, text: 'Cheap copies at www.knockoff-watches.example.com today' },
      { productId: watch, rating: 5, text: 'Write me at jane.doe@example.org for a discount' },
      { productId: watch, rating: 5, text: 'Call +44 20 7946 0958 now' },
      { productId: watch, rating: 5, text: 'Sooooooo good!!!' },
      { productId: watch, rating: 4, text: 'The battery lasts a week, the GPS is quick.' },
      { productId: watch, rating: 4, text: 'the BATTERY lasts a week -- the gps is quick' },
      { productId: strap, rating: 4, text: 'The battery lasts a week, the GPS is quick.' },
      { productId: watch, rating: 3, text: 'Fine for 10 km runs, 2000 steps a day.' },
    ]);
    const signals = async (id: string) => (await run(REVIEW, { id })).data!.review;
    expect(await signals(link)).toEqual({ id: link, status: 'PUBLISHED', moderationReason: null, signals: ['LINK_OR_CONTACT'] });
    expect((await signals(mail)).signals).toEqual(['LINK_OR_CONTACT']);
    expect((await signals(phone)).signals).toEqual(['LINK_OR_CONTACT']);
    expect((await signals(repeated)).signals).toEqual(['REPEATED_CHARACTERS']);
    expect((await signals(first)).signals).toEqual([]);
    expect((await signals(twin)).signals).toEqual(['NEAR_DUPLICATE']);
    expect((await signals(otherProduct)).signals).toEqual([]);
    expect((await signals(plain)).signals).toEqual([]);
    // Resubmitting the first review does not make it a duplicate of itself.
    const again = await submit([{ productId: watch, rating: 4, text: 'The battery lasts a week, the GPS is quick.', source: 'partner:x', externalId: 'X-1' }]);
    expect((await signals(again[0]!)).signals).toEqual(['NEAR_DUPLICATE']);
    await submit([{ productId: watch, rating: 4, text: 'The battery lasts a week, the GPS is quick.', source: 'partner:x', externalId: 'X-1' }]);
    expect((await signals(again[0]!)).signals).toEqual(['NEAR_DUPLICATE']);
  });
});

describe('policy and moderation', () => {
  let held: string;
  let clean: string;

  it('a tenant policy holds reviews with the signals it names as PENDING; read-only keys see only published reviews', async () => {
    expect((await run(POLICY, { hold: ['LINK_OR_CONTACT'] }, WRITER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await run(`{ moderationPolicy { hold } }`, {}, READER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await run(`{ moderationPolicy { hold updatedAt } }`, {}, MODERATOR)).data!.moderationPolicy).toEqual({ hold: [], updatedAt: null });
    const set = await run(POLICY, { hold: ['LINK_OR_CONTACT', 'LINK_OR_CONTACT'] }, MODERATOR);
    expect(set.data!.setModerationPolicy.hold).toEqual(['LINK_OR_CONTACT']);
    [held, clean] = await submit([
      { productId: strap, rating: 5, text: 'Buy it cheaper at http://spam.example.net' },
      { productId: strap, rating: 2, text: 'Strap broke sooooooooon' },
    ]);
    expect((await run(REVIEW, { id: held }, MODERATOR)).data!.review).toEqual({ id: held, status: 'PENDING', moderationReason: "held by the tenant's moderation policy: LINK_OR_CONTACT", signals: ['LINK_OR_CONTACT'] });
    expect((await run(REVIEW, { id: clean })).data!.review.status).toBe('PUBLISHED');
    expect((await run(REVIEW, { id: held }, READER)).data!.review).toBeNull();
    expect(await listed(strap, READER)).not.toContain(held);
    expect(await listed(strap, READER)).toContain(clean);
    expect(await listed(strap, WRITER)).toContain(held);
    // Another tenant's policy is its own.
    expect((await run(`{ moderationPolicy { hold } }`, {}, as(['read', 'moderate'], 'tenant-b'))).data!.moderationPolicy.hold).toEqual([]);
  });

  it('moderateReviews needs the moderate scope, publishes or rejects (with a reason), reports unknown ids, and tells the bus and the change feed', async () => {
    expect((await run(MODERATE, { ids: [held], status: 'PUBLISHED' }, WRITER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await run(MODERATE, { ids: [held], status: 'REJECTED' }, MODERATOR)).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'reason' } });
    expect((await run(MODERATE, { ids: ['{"$ne": null}'], status: 'PUBLISHED' }, MODERATOR)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const foreign = await run(MODERATE, { ids: [held], status: 'PUBLISHED' }, as(['read', 'moderate'], 'tenant-b'));
    expect(foreign.data!.moderateReviews).toEqual({ moderated: [], notFound: [held], pending: [] });

    const published = await run(MODERATE, { ids: [held, 'rev_ffffffffffffffffffffffff'], status: 'PUBLISHED' }, MODERATOR);
    expect(published.data!.moderateReviews).toEqual({ moderated: [{ id: held, status: 'PUBLISHED', moderationReason: null }], notFound: ['rev_ffffffffffffffffffffffff'], pending: [] });
    expect(await listed(strap, READER)).toContain(held);

    const rejected = await run(MODERATE, { ids: [clean], status: 'REJECTED', reason: '{"$gt": ""} off-topic' }, MODERATOR);
    expect(rejected.data!.moderateReviews.moderated).toEqual([{ id: clean, status: 'REJECTED', moderationReason: '{"$gt": ""} off-topic' }]);
    expect((await run(REVIEW, { id: clean }, READER)).data!.review).toBeNull();

    const jsm = await jetstreamManager(bus.connection);
    const last = await jsm.streams.getMessage(topics.stream.name, { last_by_subj: topics.moderated });
    expect(last?.json<{ id: string; data: Record<string, unknown> }>()).toMatchObject({ id: `review.moderated:${clean}:1`, data: { reviewId: clean, status: 'REJECTED', previousStatus: 'PUBLISHED', moderation: 1, rating: 2 } });

    const feed = await run(`{ reviewChanges(first: 100) { edges { node { kind reviewId } } } }`);
    const kinds = feed.data!.reviewChanges.edges.map((e: { node: { kind: string; reviewId: string } }) => e.node).filter((n: { reviewId: string }) => n.reviewId === held || n.reviewId === clean);
    expect(kinds.filter((n: { kind: string }) => n.kind === 'STATUS_CHANGED').map((n: { reviewId: string }) => n.reviewId)).toEqual([held, clean]);

    // The same status again changes nothing and sends nothing.
    const before = (await jsm.streams.info(topics.stream.name)).state.messages;
    expect((await run(MODERATE, { ids: [held], status: 'PUBLISHED' }, MODERATOR)).data!.moderateReviews.moderated[0].status).toBe('PUBLISHED');
    expect((await jsm.streams.info(topics.stream.name)).state.messages).toBe(before);
  });
});
