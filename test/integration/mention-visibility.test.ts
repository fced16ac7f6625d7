import { beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import type { ReviewToAnalyse } from '../../subgraphs/analysis/src/models/analysis.js';
import type { ReviewStatus } from '../../subgraphs/analysis/src/models/review-visibility.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { createServer } from '../../subgraphs/analysis/src/server.js';
import { analyseBatch, applyStatusChanges, type AnalyserDeps } from '../../subgraphs/analysis/src/services/review-analyser.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let database: Database;
let server: Server;
let bus: Bus;
let topics: ReviewTopics;
let deps: AnalyserDeps;
const TENANT = 'tenant-vis';
const MENTIONING = `query($r: [_Any!]!, $first: Int, $after: String) { _entities(representations: $r) { ... on Product {
  reviewsMentioning(aspect: "battery", first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }`;
const reviewId = (product: number, i: number) => `rev_${product.toString(16).padStart(4, '0')}${i.toString(16).padStart(20, 'c')}`;
const productId = (product: number) => `prd_${product.toString(16).padStart(24, 'd')}`;

async function mentioning(product: number, scopes: string[], first = 20) {
  const response = await server.apollo.executeOperation(
    { query: MENTIONING, variables: { r: [{ __typename: 'Product', id: productId(product) }], first } },
    { contextValue: server.contextFor({ ...caller(TENANT), scopes }) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const result = response.body.singleResult as { data?: Record<string, any>; errors?: unknown[] };
  expect(result.errors).toBeUndefined();
  const connection = result.data!._entities[0].reviewsMentioning as { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean } };
  return { ids: connection.edges.map((e) => e.node.id).sort(), hasNextPage: connection.pageInfo.hasNextPage };
}

const review = (product: number, i: number, status?: ReviewStatus): ReviewToAnalyse => ({
  reviewId: reviewId(product, i), tenantId: TENANT, productId: productId(product), productCategory: 'sport-watch',
  text: `The battery lasts for days. Review ${i}.`, locale: 'en-US', createdAt: '2026-01-01T00:00:00.000Z', ...(status ? { status } : {}),
});
const change = (product: number, i: number, status: ReviewStatus, moderation: number, previousStatus?: ReviewStatus) => ({ reviewId: reviewId(product, i), tenantId: TENANT, status, moderation, ...(previousStatus ? { previousStatus } : {}) });

beforeAll(async () => {
  database = await freshDatabase('mention-visibility');
  ({ bus, topics } = await freshBus('mention_visibility'));
  server = await createServer({ database, analyzer: await createAnalyzer(), log: silentLog, internalSecret: TEST_SECRET });
  deps = { analyses: server.services.analyses, mentions: server.services.mentions, taxonomies: server.services.taxonomies, analyzer: server.services.analyzer, publisher: bus, topics, log: silentLog };
});

describe('reviewsMentioning and moderation status', () => {
  it('gives a read-only key a full page of published reviews however many held ones sit between them, and a writer or moderator every one', async () => {
    // One batch, one analysis time: entries order by review id, newest (highest) first, so the held ones come first.
    const held = Array.from({ length: 30 }, (_, i) => review(1, 100 + i, 'PENDING'));
    const shown = [review(1, 1, 'PUBLISHED'), review(1, 2), review(1, 3, 'PUBLISHED')];
    expect(await analyseBatch(deps, [shown[0]!, ...held.slice(0, 15), shown[1]!, ...held.slice(15), shown[2]!])).toEqual(new Array(33).fill(undefined));
    // One page of three: the held reviews' entries are not in the read-only list, so they cost it nothing.
    expect(await mentioning(1, ['read'], 3)).toEqual({ ids: shown.map((r) => r.reviewId).sort(), hasNextPage: false });
    expect((await mentioning(1, ['read', 'write'], 100)).ids).toHaveLength(33);
    expect((await mentioning(1, ['read', 'moderate'], 100)).ids).toHaveLength(33);
  });

  it('follows review.moderated in order of its numbers: a late older change is ignored, a change seen before the submission outranks it', async () => {
    await analyseBatch(deps, [review(2, 1, 'PENDING'), review(2, 2, 'PUBLISHED')]);
    expect((await mentioning(2, ['read'])).ids).toEqual([reviewId(2, 2)]);
    await applyStatusChanges(deps, [change(2, 1, 'PUBLISHED', 1, 'PENDING')]);
    expect((await mentioning(2, ['read'])).ids).toEqual([reviewId(2, 1), reviewId(2, 2)].sort());
    // Rejected (change 3), then a late copy of change 2 that had published it: it stays rejected.
    await applyStatusChanges(deps, [change(2, 1, 'REJECTED', 3, 'PUBLISHED'), change(2, 2, 'REJECTED', 1, 'PUBLISHED')]);
    await applyStatusChanges(deps, [change(2, 1, 'PUBLISHED', 2, 'PENDING')]);
    expect((await mentioning(2, ['read'])).ids).toEqual([]);
    expect((await mentioning(2, ['read', 'write'])).ids).toEqual([reviewId(2, 1), reviewId(2, 2)].sort());

    // Published by a moderator before analysis saw its submission as PENDING: published it stays.
    await applyStatusChanges(deps, [change(2, 3, 'PUBLISHED', 1, 'PENDING')]);
    await analyseBatch(deps, [review(2, 3, 'PENDING')]);
    expect((await mentioning(2, ['read'])).ids).toEqual([reviewId(2, 3)]);
    // A redelivered submission changes nothing either.
    await analyseBatch(deps, [review(2, 3, 'PENDING')]);
    expect((await mentioning(2, ['read'])).ids).toEqual([reviewId(2, 3)]);
  });
});
