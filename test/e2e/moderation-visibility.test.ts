import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { gatewayBody } from '../support/gateway-client.js';
import { startTestStack } from '../support/stack.js';

const WRITER = 'visibility-writer-key-0123456789ab';
const READER = 'visibility-reader-key-0123456789ab';
const MODERATOR = 'visibility-moderator-key-012345678';
// One budget for the whole scenario: each step polls until its condition holds or the budget is spent,
// so a step slowed by a loaded machine takes time the others did not need (the test asserts the same).
const BUDGET_MS = 240_000;
let deadline = 0;
const left = () => Math.max(1_000, deadline - Date.now());
/** What the processes logged last, shown when a step runs out of time. */
const logTail: string[] = [];
const steps: string[] = [];
async function step<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  try {
    const value = await eventually(probe, left(), what);
    steps.push(`${what}: ${Date.now() - started} ms`);
    return value;
  } catch (error) {
    throw new Error(`${(error as Error).message}\nsteps so far:\n  ${steps.join('\n  ')}\nlast process log lines:\n${logTail.join('\n')}`);
  }
}
let stack: Stack;
let receiver: Server;
let base: string;
const received: Array<{ type: string; reviewId: string; data: Record<string, unknown> }> = [];
const hits = (type: string, reviewId: string) => received.filter((r) => r.type === type && r.reviewId === reviewId);

const gql = (key: string, query: string, variables: Record<string, unknown> = {}) => gatewayBody(stack.gatewayUrl, key, query, variables);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
      received.push({ type: parsed.type, reviewId: String(parsed.data.reviewId), data: parsed.data });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  try {
    stack = await startTestStack('visibility', {
      workers: 1,
      keys: [
        { key: WRITER, name: 'partner', tenantId: 'visibility', scopes: ['read', 'write'] },
        { key: READER, name: 'storefront', tenantId: 'visibility', scopes: ['read'] },
        { key: MODERATOR, name: 'moderator', tenantId: 'visibility', scopes: ['read', 'moderate'] },
      ],
      env: { WEBHOOKS_ALLOW_LOOPBACK: 'true', LOG_LEVEL: 'info' },
      write: (line) => { logTail.push(line); if (logTail.length > 200) logTail.shift(); },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\nlast process log lines:\n${logTail.join('\n')}`);
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const MENTIONING = `query($p: ID!) { product(id: $p) { reviewsMentioning(aspect: "battery") { edges { node { id } } } } }`;
const MODERATE = `mutation($ids: [ID!]!, $status: ReviewStatus!, $reason: String) { moderateReviews(ids: $ids, status: $status, reason: $reason) { moderated { id status } } }`;

describe('held reviews stay out of analysis lists and webhooks until published', () => {
  it('lists a held review in reviewsMentioning to read-only keys and sends review.published and review.analyzed for it only once a moderator publishes it', async () => {
    deadline = Date.now() + BUDGET_MS;
    expect((await gql(MODERATOR, `mutation { setModerationPolicy(hold: [LINK_OR_CONTACT]) { hold } }`)).data!.setModerationPolicy.hold).toEqual(['LINK_OR_CONTACT']);
    const hook = await gql(WRITER, `mutation($url: String!) { subscribeWebhook(url: $url, events: [REVIEW_PUBLISHED, REVIEW_ANALYZED]) { webhook { id } } }`, { url: `${base}/hook` });
    expect(hook.errors).toBeUndefined();
    const product = (await gql(WRITER, `mutation { upsertProducts(input: { products: [{ sku: "VIS-1", name: "Watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const submitted = await gql(WRITER, `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } } }`, { r: [
      { productId: product, rating: 5, text: 'The battery lasts for days.' },
      { productId: product, rating: 5, text: 'The battery lasts for days. Buy yours at www.cheap-watches.example.com' },
    ] });
    const [clean, held] = submitted.data!.submitReviews.accepted.map((a: { id: string }) => a.id) as [string, string];
    const statuses = (await gql(WRITER, `query($p: ID!) { product(id: $p) { reviews { edges { node { id status } } } } }`, { p: product })).data!.product.reviews.edges.map((e: any) => e.node);
    expect(statuses).toEqual(expect.arrayContaining([{ id: clean, status: 'PUBLISHED' }, { id: held, status: 'PENDING' }]));

    const mentioning = async (key: string) => ((await gql(key, MENTIONING, { p: product })).data?.product?.reviewsMentioning?.edges ?? []).map((e: { node: { id: string } }) => e.node.id).sort() as string[];
    // Both analysed: a key that may write sees the held review too, as collection's lists show it.
    expect(await step('both reviews analysed', async () => ((await mentioning(WRITER)).length === 2 ? mentioning(WRITER) : undefined))).toEqual([clean, held].sort());
    expect(await mentioning(MODERATOR)).toEqual([clean, held].sort());
    expect(await mentioning(READER)).toEqual([clean]);
    await step('the published review delivered', async () => (hits('review.published', clean).length === 1 && hits('review.analyzed', clean).length === 1 ? true : undefined));
    expect(hits('review.published', held)).toEqual([]);
    // Analysed while held: its analysis is not delivered to partners yet.
    expect(hits('review.analyzed', held)).toEqual([]);

    const publish = await gql(MODERATOR, MODERATE, { ids: [held], status: 'PUBLISHED' });
    expect(publish.data!.moderateReviews.moderated).toEqual([{ id: held, status: 'PUBLISHED' }]);
    expect(await step('the published review listed', async () => ((await mentioning(READER)).length === 2 ? mentioning(READER) : undefined))).toEqual([clean, held].sort());
    const delivered = await step('review.published of the review published by the moderator', async () => hits('review.published', held)[0]);
    expect(delivered.data).toMatchObject({ reviewId: held, productId: product, rating: 5, text: 'The battery lasts for days. Buy yours at www.cheap-watches.example.com' });
    // Its analysis follows the publication, once.
    const analysed = await step('review.analyzed of the review once published', async () => hits('review.analyzed', held)[0]);
    expect(analysed.data).toMatchObject({ reviewId: held, productId: product, revision: 1 });
    expect((analysed.data.aspects as Array<{ aspect: string }>).map((a) => a.aspect)).toContain('battery');

    // A new reason for a published review is no new publication; a rejection takes it out of the read-only list again.
    await gql(MODERATOR, MODERATE, { ids: [held], status: 'PUBLISHED', reason: 'checked the link' });
    await gql(MODERATOR, MODERATE, { ids: [held], status: 'REJECTED', reason: 'advertising' });
    expect(await step('the rejected review unlisted', async () => ((await mentioning(READER)).length === 1 ? mentioning(READER) : undefined))).toEqual([clean]);
    expect(await mentioning(WRITER)).toEqual([clean, held].sort());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(hits('review.published', held)).toHaveLength(1);
    expect(hits('review.analyzed', held)).toHaveLength(1);
    expect(hits('review.published', clean)).toHaveLength(1);
    expect(hits('review.analyzed', clean)).toHaveLength(1);
    console.info(`moderation-visibility steps:\n  ${steps.join('\n  ')}`);
  }, BUDGET_MS + 30_000);
});
