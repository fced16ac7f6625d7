import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { verifyWebhook, WEBHOOK_HEADERS } from '../../subgraphs/applications/src/services/webhook-signature.js';
import { eventually } from '../support/fixtures.js';
import { gatewayBody } from '../support/gateway-client.js';
import { startTestStack } from '../support/stack.js';

const WRITE_KEY = 'whk-write-key-0123456789abcdef00';
const READ_KEY = 'whk-read-key-0123456789abcdef000';
const OTHER_KEY = 'whk-other-key-0123456789abcdef00';
const TIMEOUT_MS = 2_000;
let stack: Stack;
let receiver: Server;
let base: string;
const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string; at: number }> = [];
const hits = (path: string) => received.filter((r) => r.path === path);

const gql = (query: string, variables: Record<string, unknown> = {}, key = WRITE_KEY) => gatewayBody(stack.gatewayUrl, key, query, variables);

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body, at: Date.now() });
      // A receiver that takes 30 s; the delivery process cuts it off at WEBHOOK_ATTEMPT_TIMEOUT_MS.
      if (req.url === '/slow') setTimeout(() => res.writeHead(200).end(), 30_000).unref();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  stack = await startTestStack('whk', {
    workers: 1,
    keys: [
      { key: WRITE_KEY, name: 'writer', tenantId: 'whk', scopes: ['read', 'write'] },
      { key: READ_KEY, name: 'reader', tenantId: 'whk', scopes: ['read'] },
      { key: OTHER_KEY, name: 'other', tenantId: 'whk-other', scopes: ['read', 'write'] },
    ],
    env: { WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOK_ATTEMPT_TIMEOUT_MS: String(TIMEOUT_MS), WEBHOOK_RETRY_BASE_MS: '1000', WEBHOOK_RETRY_MAX_MS: '4000' },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const SUBSCRIBE = `mutation($url: String!) { subscribeWebhook(url: $url, events: [REVIEW_PUBLISHED, REVIEW_ANALYZED]) { secret webhook { id url enabled } } }`;
const LOG = `query($id: ID!) { webhook(id: $id) { deliveries(first: 100) { edges { node { event attempt status httpStatus latencyMs error } } } } }`;

describe('webhooks through the gateway', () => {
  it('delivers signed review events from the running stack, and a 30 s receiver delays neither insights nor another webhook', async () => {
    const readOnly = await gql(SUBSCRIBE, { url: `${base}/fast` }, READ_KEY);
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const metadata = await gql(SUBSCRIBE, { url: 'http://169.254.169.254/latest/meta-data/' });
    expect(metadata.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'BLOCKED_ADDRESS', range: 'linkLocal' } });
    expect(metadata.errors?.[0]?.message).toMatch(/169\.254\.169\.254, a linkLocal address/);

    const slow = (await gql(SUBSCRIBE, { url: `${base}/slow` })).data!.subscribeWebhook;
    const fast = (await gql(SUBSCRIBE, { url: `${base}/fast` })).data!.subscribeWebhook;
    expect(fast.webhook).toMatchObject({ url: `${base}/fast`, enabled: true });
    expect((await gql(`query($id: ID!) { webhook(id: $id) { id } }`, { id: fast.webhook.id }, OTHER_KEY)).data!.webhook).toBeNull();

    const upsert = await gql(`mutation { upsertProducts(input: { products: [{ sku: "WHK-1", name: "Hook One", category: "sport-watch" }] }) { products { id } } }`);
    const productId = upsert.data!.upsertProducts.products[0].id as string;
    const reviews = Array.from({ length: 5 }, (_, i) => ({ productId, rating: 4, text: `The battery lasts for days. Review ${i}.`, createdAt: `2026-03-0${i + 1}T10:00:00.000Z` }));
    const submitted = Date.now();
    const submit = await gql(`mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`, { r: reviews });
    expect(submit.data!.submitReviews.rejected).toEqual([]);
    const ids = submit.data!.submitReviews.accepted.map((r: { id: string }) => r.id) as string[];

    await eventually(async () => {
      const result = await gql(`query($id: ID!) { product(id: $id) { insights { analyzedCount } } }`, { id: productId }, READ_KEY);
      return result.data?.product?.insights?.analyzedCount === 5 ? true : undefined;
    }, 120_000, 'five analysed reviews in insights');
    const insightsReady = Date.now();
    // The other webhook has all ten events (5 published, 5 analysed) by then or soon after, not after the slow one's queue.
    const fastBodies = await eventually(async () => {
      const bodies = hits('/fast');
      return bodies.length >= 10 ? bodies : undefined;
    }, 20_000, 'ten deliveries to the fast receiver');
    expect(insightsReady - submitted).toBeLessThan(120_000);
    // Meanwhile the slow receiver holds at most 4 attempts at a time, each cut off after 2 s: nothing of it delivered, nothing given up yet.
    const slowLog = await eventually(async () => {
      const rows = (await gql(LOG, { id: slow.webhook.id })).data!.webhook.deliveries.edges.map((e: any) => e.node);
      return rows.length > 0 ? rows : undefined;
    }, 20_000, 'a logged attempt of the slow receiver');
    expect(hits('/slow').length).toBeGreaterThan(0);
    expect(slowLog.filter((n: any) => n.status === 'DELIVERED' || n.status === 'FAILED')).toEqual([]);
    for (const row of slowLog) {
      expect(row).toMatchObject({ status: 'RETRYING', httpStatus: null, error: `no complete answer within ${TIMEOUT_MS} ms` });
      expect(row.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(row.latencyMs).toBeLessThan(TIMEOUT_MS + 3_000);
    }

    const types = fastBodies.map((r) => JSON.parse(r.body)).map((b) => `${b.type}:${b.data.reviewId}`).sort();
    expect(types).toEqual([...ids.map((id) => `review.analyzed:${id}`), ...ids.map((id) => `review.published:${id}`)].sort());
    for (const hit of fastBodies) {
      expect(verifyWebhook(fast.secret, { timestamp: hit.headers[WEBHOOK_HEADERS.timestamp] as string, signature: hit.headers[WEBHOOK_HEADERS.signature] as string }, hit.body)).toBe(true);
    }
    const analysed = fastBodies.map((r) => JSON.parse(r.body)).find((b) => b.type === 'review.analyzed');
    expect(analysed.data).toMatchObject({ productId, revision: 1 });
    expect(analysed.data.aspects.map((a: { aspect: string }) => a.aspect)).toContain('battery');
    // The receiver answers before the worker records the attempt: the log and the counter follow within moments.
    const fastLog = await eventually(async () => {
      const rows = (await gql(LOG, { id: fast.webhook.id }, READ_KEY)).data!.webhook.deliveries.edges.map((e: any) => e.node);
      return rows.filter((n: any) => n.status === 'DELIVERED').length >= 10 ? rows : undefined;
    }, 10_000, 'ten delivered attempts in the fast receiver\'s log');
    expect(fastLog.filter((n: any) => n.status === 'DELIVERED' && n.httpStatus === 204)).toHaveLength(10);
    const webhookWorker = stack.processes.find((p) => p.spec.name === 'webhook-worker')!;
    const metrics = await (await fetch(`http://127.0.0.1:${webhookWorker.spec.env.WEBHOOK_WORKER_METRICS_PORT}/metrics`)).text();
    expect(Number(metrics.match(/^reviewgraph_webhook_attempts_total\{status="DELIVERED"[^}]*\} (\d+)$/m)?.[1])).toBe(10);
    expect(Number(metrics.match(/^reviewgraph_webhook_attempts_total\{status="RETRYING"[^}]*\} (\d+)$/m)?.[1])).toBeGreaterThan(0);
  });
});
