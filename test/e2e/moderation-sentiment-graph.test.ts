import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { gatewayBody } from '../support/gateway-client.js';
import { startTestStack } from '../support/stack.js';

const WRITER = 'sentiment-writer-key-0123456789abc';
const READER = 'sentiment-reader-key-0123456789abc';
const MODERATOR = 'sentiment-moderator-key-0123456789';
let stack: Stack;

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => gatewayBody(stack.gatewayUrl, key, query, variables);

beforeAll(async () => {
  stack = await startTestStack('sentiment', {
    workers: 1,
    keys: [
      { key: WRITER, name: 'partner', tenantId: 'sentiment', scopes: ['read', 'write'] },
      { key: READER, name: 'storefront', tenantId: 'sentiment', scopes: ['read'] },
      { key: MODERATOR, name: 'moderator', tenantId: 'sentiment', scopes: ['read', 'moderate'] },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const REVIEW = `query($id: ID!) { review(id: $id) { status moderationReason signals revision analysis { status sentiment { label score } } } }`;
const SUBMIT = `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id revision } rejected { index field code } } }`;

describe('a rating that contradicts analysed sentiment, through the gateway and the running analysis', () => {
  it('appears on the review once analysis has run, holds it when the policy says so (out of read-only lists and insights), and follows edits', async () => {
    const policy = await gql(MODERATOR, `mutation { setModerationPolicy(hold: [RATING_CONTRADICTS_SENTIMENT]) { hold sourceBurstLimit } }`);
    expect(policy.data!.setModerationPolicy).toEqual({ hold: ['RATING_CONTRADICTS_SENTIMENT'], sourceBurstLimit: 1000 });
    const product = (await gql(WRITER, `mutation { upsertProducts(input: { products: [{ sku: "SENT-E2E", name: "Watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const submitted = await gql(WRITER, SUBMIT, { r: [
      { productId: product, rating: 5, text: 'Great watch, I love it. The battery lasts for days.', source: 'partner:acme', externalId: 'ok-1' },
      { productId: product, rating: 5, text: 'Terrible watch. The strap broke after two days, the battery died, and support never answered. Waste of money.', source: 'partner:acme', externalId: 'bad-1' },
    ] });
    expect(submitted.data!.submitReviews.rejected).toEqual([]);
    const [fine, contradicting] = submitted.data!.submitReviews.accepted.map((a: { id: string }) => a.id) as [string, string];
    const review = async (id: string, key = WRITER) => (await gql(key, REVIEW, { id })).data?.review;
    const held = await eventually(async () => { const r = await review(contradicting); return r?.status === 'PENDING' ? r : undefined; }, 60_000, 'the contradicting review held after analysis');
    expect(held).toMatchObject({ status: 'PENDING', moderationReason: "held by the tenant's moderation policy: RATING_CONTRADICTS_SENTIMENT", signals: ['RATING_CONTRADICTS_SENTIMENT'], revision: 1, analysis: { status: 'DONE', sentiment: { label: 'NEGATIVE' } } });
    expect(held.analysis.sentiment.score).toBeLessThanOrEqual(-0.9);
    const clean = await eventually(async () => { const r = await review(fine); return r?.analysis?.status === 'DONE' ? r : undefined; }, 60_000, 'the other review analysed');
    expect(clean).toMatchObject({ status: 'PUBLISHED', signals: [] });
    // Held like a policy hold at intake: a read-only key no longer sees it, insights stop counting it, the change feed says so.
    expect(await review(contradicting, READER)).toBeNull();
    const insights = async () => (await gql(READER, `query($p: ID!) { product(id: $p) { insights { reviewCount } } }`, { p: product })).data?.product?.insights;
    await eventually(async () => ((await insights())?.reviewCount === 1 ? true : undefined), 30_000, 'insights count the published review alone');
    const feed = (await gql(WRITER, `{ reviewChanges(first: 100) { edges { node { kind reviewId } } } }`)).data!.reviewChanges.edges.map((e: any) => e.node);
    expect(feed.filter((n: { reviewId: string }) => n.reviewId === contradicting).map((n: { kind: string }) => n.kind)).toEqual(['CREATED', 'STATUS_CHANGED']);

    // The partner corrects the text: the old text's signal goes at once, and the new text's analysis finds no contradiction.
    const edit = await gql(WRITER, SUBMIT, { r: [{ productId: product, rating: 5, text: 'Lovely watch, the battery lasts for days and the strap is comfortable.', source: 'partner:acme', externalId: 'bad-1' }] });
    expect(edit.data!.submitReviews.accepted).toEqual([{ id: contradicting, revision: 2 }]);
    expect((await review(contradicting))!.signals).toEqual([]);
    const reanalysed = await eventually(async () => { const r = await review(contradicting); return r?.analysis?.sentiment?.label === 'POSITIVE' ? r : undefined; }, 60_000, 'the edit analysed');
    // Let the consumer see the new result, then check it left the signal off (the hold stays for a moderator to lift).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await review(contradicting)).toMatchObject({ status: 'PENDING', signals: [], revision: 2 });
    expect(reanalysed.revision).toBe(2);
  });

  it('flags and holds a source\'s reviews past the policy\'s limit for the hour, through the gateway', async () => {
    const policy = await gql(MODERATOR, `mutation { setModerationPolicy(hold: [SOURCE_BURST], sourceBurstLimit: 2) { hold sourceBurstLimit } }`);
    expect(policy.data!.setModerationPolicy).toEqual({ hold: ['SOURCE_BURST'], sourceBurstLimit: 2 });
    expect((await gql(MODERATOR, `{ moderationPolicy { hold sourceBurstLimit } }`)).data!.moderationPolicy).toEqual({ hold: ['SOURCE_BURST'], sourceBurstLimit: 2 });
    const product = (await gql(WRITER, `mutation { upsertProducts(input: { products: [{ sku: "SRC-E2E", name: "Strap" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const sent = await gql(WRITER, SUBMIT, { r: [1, 2, 3].map((i) => ({ productId: product, rating: 4, text: `Strap review ${i}, fits well.`, source: 'app:ios' })) });
    expect(sent.data!.submitReviews.rejected).toEqual([]);
    const ids = sent.data!.submitReviews.accepted.map((a: { id: string }) => a.id) as string[];
    const seen = await Promise.all(ids.map(async (id) => (await gql(WRITER, `query($id: ID!) { review(id: $id) { status signals } }`, { id })).data!.review));
    expect(seen).toEqual([{ status: 'PUBLISHED', signals: [] }, { status: 'PUBLISHED', signals: [] }, { status: 'PENDING', signals: ['SOURCE_BURST'] }]);
    expect((await gql(READER, `query($id: ID!) { review(id: $id) { id } }`, { id: ids[2] })).data!.review).toBeNull();
  });
});
