import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { gatewayBody } from '../support/gateway-client.js';
import { startTestStack } from '../support/stack.js';

const WRITE_KEY = 'ins-write-key-0123456789abcdef00';
const READ_KEY = 'ins-read-key-0123456789abcdef000';
const OTHER_KEY = 'ins-other-key-0123456789abcdef00';
let stack: Stack;

const gql = (query: string, variables: Record<string, unknown> = {}, key = WRITE_KEY) => gatewayBody(stack.gatewayUrl, key, query, variables);

beforeAll(async () => {
  stack = await startTestStack('ins', {
    workers: 1,
    keys: [
      { key: WRITE_KEY, name: 'writer', tenantId: 'ins', scopes: ['read', 'write'] },
      { key: READ_KEY, name: 'reader', tenantId: 'ins', scopes: ['read'] },
      { key: OTHER_KEY, name: 'other', tenantId: 'ins-other', scopes: ['read', 'write'] },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('insights through the gateway', () => {
  it('serves pros, cons, quotes with their reviews, the summary, a trend and a comparison of analysed reviews', async () => {
    const upsert = await gql(`mutation { upsertProducts(input: { products: [{ sku: "INS-1", name: "Trail One", category: "sport-watch" }, { sku: "INS-2", name: "Trail Two", category: "sport-watch" }] }) { products { id } } }`);
    const [one, two] = upsert.data!.upsertProducts.products.map((p: { id: string }) => p.id) as [string, string];
    const good = 'The battery lasts for days and the screen is bright.';
    const bad = 'The battery died after a day and the strap broke.';
    const reviews = [
      ...Array.from({ length: 5 }, (_, i) => ({ productId: one, rating: 5, text: `${good} Review ${i}.`, createdAt: `2026-03-0${i + 1}T10:00:00.000Z` })),
      ...Array.from({ length: 2 }, (_, i) => ({ productId: one, rating: 1, text: `${bad} Note ${i}.`, createdAt: `2026-03-1${i}T10:00:00.000Z` })),
      ...Array.from({ length: 3 }, (_, i) => ({ productId: two, rating: 2, text: `${bad} Case ${i}.`, createdAt: `2026-03-2${i}T10:00:00.000Z` })),
    ];
    const submit = await gql(`mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`, { r: reviews });
    expect(submit.data!.submitReviews.rejected).toEqual([]);

    const query = `query($id: ID!) { product(id: $id) { name insights { reviewCount analyzedCount
      topPros(first: 2) { aspect mentions positive proScore positiveQuotes { snippet span { start end } review { id rating text } } }
      topCons(first: 2) { aspect negative conScore negativeQuotes { snippet review { id rating } } }
      summary { text sufficient citedReviews { id rating } }
      trend(from: "2026-03-01", to: "2026-04-01", granularity: WEEK) { buckets { start reviewCount averageRating } } } } }`;
    const product = await eventually(async () => {
      const result = await gql(query, { id: one }, READ_KEY);
      return result.data?.product?.insights?.analyzedCount === 7 ? result.data.product : undefined;
    }, 120_000, 'seven analysed reviews');
    const battery = product.insights.topPros.find((p: { aspect: string }) => p.aspect === 'battery');
    expect(battery).toMatchObject({ mentions: 7, positive: 5 });
    const quote = battery.positiveQuotes[0];
    // The quote's review is completed by collection, and the span points at the term in its text.
    expect(quote.review.rating).toBe(5);
    expect(quote.review.text.slice(quote.span.start, quote.span.end).toLowerCase()).toContain('battery');
    expect(quote.review.text).toContain(quote.snippet.replace(/\s+$/, ''));
    expect(product.insights.topCons.map((c: { aspect: string }) => c.aspect)).toContain('battery');
    expect(product.insights.summary.sufficient).toBe(true);
    expect(product.insights.summary.text).toMatch(/^Based on 7 reviews \(average 3\.9 of 5 stars\)/);
    expect(product.insights.summary.citedReviews.length).toBeGreaterThan(0);
    expect(product.insights.trend.buckets.map((b: { start: string; reviewCount: number }) => [b.start, b.reviewCount])).toEqual([['2026-03-01', 1], ['2026-03-02', 4], ['2026-03-09', 2], ['2026-03-16', 0], ['2026-03-23', 0], ['2026-03-30', 0]]);

    await eventually(async () => ((await gql(query, { id: two })).data?.product?.insights?.analyzedCount === 3 ? true : undefined), 60_000, 'product two analysed');
    const compare = await gql(`query($ids: [ID!]!) { compareProducts(ids: $ids) { products { product { id name } reviewCount averageRating } sharedAspects { aspect spread } } }`, { ids: [one, two] }, READ_KEY);
    expect(compare.data!.compareProducts.products).toEqual([
      { product: { id: one, name: 'Trail One' }, reviewCount: 7, averageRating: 3.86 },
      { product: { id: two, name: 'Trail Two' }, reviewCount: 3, averageRating: 2 },
    ]);
    expect(compare.data!.compareProducts.sharedAspects.map((a: { aspect: string }) => a.aspect)).toContain('battery');

    // Another tenant sees nothing of it, and bad input keeps its code through the gateway.
    const foreign = await gql(`query($ids: [ID!]!) { compareProducts(ids: $ids) { ratingSpread } }`, { ids: [one, two] }, OTHER_KEY);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const single = await gql(`query($ids: [ID!]!) { compareProducts(ids: $ids) { ratingSpread } }`, { ids: [one] });
    expect(single.errors?.[0]).toMatchObject({ message: 'compareProducts takes 2 to 5 product ids; got 1', extensions: { code: 'BAD_USER_INPUT' } });
    const decade = await gql(`query($id: ID!) { product(id: $id) { insights { trend(from: "2016-01-01", to: "2026-01-01", granularity: DAY) { from } } } }`, { id: one });
    expect(decade.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const alerts = await gql(`{ alerts(first: 5) { edges { node { id } } pageInfo { hasNextPage } } }`, {}, READ_KEY);
    expect(alerts.data!.alerts).toEqual({ edges: [], pageInfo: { hasNextPage: false } });
  }, 240_000);
});
