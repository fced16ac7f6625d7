/**
 * The background workers of the stack under SIGSTOP/SIGCONT and SIGKILL, from outside, on one stack of
 * real processes supervised as `npm start` supervises them: the webhook worker (paused longer than an
 * attempt's timeout, and killed mid-delivery), the analysis worker and the applications consumer
 * (paused while reviews come in). The promises checked: a paused or killed worker loses nothing, the
 * graph keeps answering, and webhook deliveries are at least once with one id per delivery (README,
 * Webhooks: receivers drop duplicates by `reviewgraph-webhook-id`).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import type { RestartPolicy, RunningProcess } from '../../lib/supervisor.js';
import { WEBHOOK_HEADERS } from '../../subgraphs/applications/src/services/webhook-signature.js';
import { eventually } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';

const KEY = 'wsig-write-key-0123456789abcdef00';
const ATTEMPT_TIMEOUT_MS = 2_000;
const WORKER_ACK_WAIT_MS = 3_000;
const PER_WEBHOOK = 4;
/** Restarts as `npm start` does, sooner. */
const RESTART: RestartPolicy = { initialDelayMs: 200, maxDelayMs: 2_000, stableAfterMs: 60_000, maxCrashes: 5, crashWindowMs: 60_000 };

let stack: Stack;
let receiver: Server;
let hookUrl: string;
const lines: string[] = [];
const failures: string[] = [];

interface Hit { deliveryId: string; attempt: number; bodyId: string; type: string; reviewId: string; body: string; at: number }
const hits: Hit[] = [];
/** How the receiver answers: at once, after a pause, or not until released. */
let mode: { kind: 'now' } | { kind: 'after'; ms: number } | { kind: 'hold' } = { kind: 'now' };
const held: ServerResponse[] = [];

async function gql(query: string, variables: Record<string, unknown> = {}, timeoutMs = 20_000) {
  const started = performance.now();
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
  return { status: response.status, ms: performance.now() - started, body };
}

function proc(name: string): RunningProcess {
  const found = stack.processes.find((p) => p.spec.name === name);
  if (!found) throw new Error(`no ${name} process`);
  return found;
}

async function newProduct(sku: string): Promise<string> {
  const result = await gql(`mutation($sku: String!) { upsertProducts(input: { products: [{ sku: $sku, name: "Signal Watch", category: "sport-watch" }] }) { products { id } } }`, { sku });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.upsertProducts.products[0].id as string;
}

async function submit(productId: string, count: number, label: string): Promise<string[]> {
  const reviews = Array.from({ length: count }, (_, i) => ({ productId, rating: 1 + (i % 5), text: `The battery lasts ${label} ${i} days and the strap is comfortable.` }));
  const result = await gql(`mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`, { r: reviews });
  expect(result.body.errors, lines.filter((l) => l.startsWith('collection')).slice(-3).join('\n')).toBeUndefined();
  expect(result.body.data!.submitReviews.rejected).toEqual([]);
  return (result.body.data!.submitReviews.accepted as Array<{ id: string }>).map((a) => a.id);
}

async function insightsOf(productId: string): Promise<{ reviewCount: number; analyzedCount: number } | null> {
  const result = await gql(`query($id: ID!) { product(id: $id) { insights { reviewCount analyzedCount } } }`, { id: productId });
  return result.body.data?.product?.insights ?? null;
}

const LOG = `query($id: ID!) { webhook(id: $id) { consecutiveFailures deliveries(first: 100) { edges { node { deliveryId attempt status error } } } } }`;
async function deliveryLog(webhookId: string): Promise<{ consecutiveFailures: number; rows: Array<{ deliveryId: string; attempt: number; status: string; error: string | null }> }> {
  const result = await gql(LOG, { id: webhookId });
  if (result.body.errors) throw new Error(result.body.errors[0]!.message);
  const webhook = result.body.data!.webhook;
  return { consecutiveFailures: webhook.consecutiveFailures, rows: webhook.deliveries.edges.map((e: any) => e.node) };
}

const hitsOf = (reviewIds: string[]) => hits.filter((h) => reviewIds.includes(h.reviewId));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { id: string; type: string; data: { reviewId: string } };
      const headers: IncomingHttpHeaders = req.headers;
      hits.push({ deliveryId: String(headers[WEBHOOK_HEADERS.id]), attempt: Number(headers['reviewgraph-webhook-attempt']), bodyId: parsed.id, type: parsed.type, reviewId: parsed.data.reviewId, body, at: Date.now() });
      if (mode.kind === 'hold') held.push(res);
      else if (mode.kind === 'after') setTimeout(() => res.writeHead(204).end(), mode.ms);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  stack = await startTestStack('wsig', {
    workers: 1,
    keys: [{ key: KEY, name: 'writer', tenantId: 'wsig', scopes: ['read', 'write'] }],
    env: {
      WEBHOOKS_ALLOW_LOOPBACK: 'true', WEBHOOK_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS), WEBHOOK_RETRY_BASE_MS: '500', WEBHOOK_RETRY_MAX_MS: '2000', WEBHOOK_PER_WEBHOOK_CONCURRENCY: String(PER_WEBHOOK),
      WORKER_ACK_WAIT_MS: String(WORKER_ACK_WAIT_MS), APPLICATIONS_ACK_WAIT_MS: String(WORKER_ACK_WAIT_MS),
      // These pauses test what a stopped process leaves behind once resumed; liveness restarts are supervisor-liveness's.
      LIVENESS_FAILURES: '0',
    },
    restart: RESTART,
    onFailure: (reason) => failures.push(reason),
    write: (line) => lines.push(line),
  });
}, 240_000);

afterAll(async () => {
  for (const p of stack?.processes ?? []) p.child.kill('SIGCONT');
  for (const res of held.splice(0)) res.destroy();
  await stack?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the webhook worker', () => {
  let webhookId: string;
  let productId: string;

  beforeAll(async () => {
    const subscribed = await gql(`mutation($url: String!) { subscribeWebhook(url: $url, events: [REVIEW_PUBLISHED]) { webhook { id } } }`, { url: hookUrl });
    expect(subscribed.body.errors).toBeUndefined();
    webhookId = subscribed.body.data!.subscribeWebhook.webhook.id;
    productId = await newProduct('WSIG-HOOK');
  });

  it('paused (SIGSTOP) past the attempt timeout while receivers answer its attempts in flight: each delivery arrives once, none is logged as timed out', async () => {
    mode = { kind: 'hold' };
    const worker = proc('webhook-worker');
    const before = await submit(productId, 8, 'stop-a');
    // Its four attempts in flight (the per-webhook limit) are in the receiver's hands; it answers them, promptly, while the worker is stopped.
    await eventually(async () => (held.length === PER_WEBHOOK ? true : undefined), 60_000, 'four attempts held by the receiver');
    expect(worker.child.kill('SIGSTOP')).toBe(true);
    let during: string[];
    try {
      mode = { kind: 'now' };
      for (const res of held.splice(0)) res.writeHead(204).end();
      during = await submit(productId, 8, 'stop-b');
      await sleep(3 * ATTEMPT_TIMEOUT_MS);
      // Nothing more can have been sent by a stopped process.
      expect(hitsOf([...before, ...during])).toHaveLength(PER_WEBHOOK);
    } finally {
      worker.child.kill('SIGCONT');
    }
    const all = [...before, ...during];
    await eventually(async () => {
      const { rows } = await deliveryLog(webhookId);
      const delivered = new Set(rows.filter((r) => r.status === 'DELIVERED').map((r) => r.deliveryId));
      return new Set(hitsOf(all).map((h) => h.reviewId)).size === all.length && delivered.size >= all.length ? true : undefined;
    }, 60_000, 'every review delivered and logged DELIVERED');

    const got = hitsOf(all);
    expect(new Set(got.map((h) => h.reviewId))).toEqual(new Set(all));
    // The receivers answered in time: the worker's own pause is not their failure, and nothing is sent twice.
    const log = await deliveryLog(webhookId);
    expect(log.rows.filter((r) => r.status !== 'DELIVERED')).toEqual([]);
    expect(log.consecutiveFailures).toBe(0);
    expect(got.every((h) => h.type === 'review.published' && h.deliveryId === h.bodyId && h.attempt === 1)).toBe(true);
    expect(got).toHaveLength(all.length);
    // The pause is not a crash: the same process resumed, nothing was restarted.
    expect(proc('webhook-worker').pid).toBe(worker.pid);
    expect(lines.filter((l) => l.startsWith('reviewgraph: '))).toEqual([]);
  }, 120_000);

  it('killed (SIGKILL) while a receiver holds its attempt: the supervisor restarts it, and that delivery and those queued meanwhile arrive', async () => {
    mode = { kind: 'hold' };
    const worker = proc('webhook-worker');
    const [first] = await submit(productId, 1, 'kill-a');
    await eventually(async () => (hitsOf([first!]).length > 0 ? true : undefined), 60_000, 'the attempt in the receiver\'s hands');
    const mark = lines.length;
    worker.child.kill('SIGKILL');
    const meanwhile = await submit(productId, 4, 'kill-b');
    // The held attempt's connection died with the worker; answer the next ones at once.
    for (const res of held.splice(0)) res.destroy();
    mode = { kind: 'now' };
    await eventually(async () => (lines.slice(mark).some((l) => l.startsWith(`reviewgraph: webhook-worker (pid ${worker.pid}) killed by SIGKILL; restarting it in`)) ? true : undefined), 20_000, 'the restart line');
    await eventually(async () => (lines.slice(mark).some((l) => /^reviewgraph: webhook-worker is back \(pid \d+\)/.test(l)) ? true : undefined), 90_000, 'the worker back');
    expect(proc('webhook-worker').pid).not.toBe(worker.pid);
    const all = [first!, ...meanwhile];
    await eventually(async () => {
      const { rows } = await deliveryLog(webhookId);
      const delivered = new Set(rows.filter((r) => r.status === 'DELIVERED').map((r) => r.deliveryId));
      const ids = new Set(hitsOf(all).map((h) => h.deliveryId));
      return ids.size === all.length && [...ids].every((id) => delivered.has(id)) ? true : undefined;
    }, 120_000, 'the held delivery and the queued ones delivered and logged DELIVERED');
    const attemptsOfFirst = hitsOf([first!]);
    expect(attemptsOfFirst.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attemptsOfFirst.map((h) => h.deliveryId)).size).toBe(1);
    for (const id of meanwhile) expect(hitsOf([id]).map((h) => h.deliveryId)).toHaveLength(1);
    expect(failures).toEqual([]);
  }, 180_000);
});

const PRODUCT_PAGE = `query($id: ID!) { product(id: $id) { name insights { reviewCount analyzedCount } reviews(first: 100) { edges { node { id analysis { status } } } } } }`;

describe('the bus consumers', () => {
  it('analysis worker paused (SIGSTOP) past its ack wait: the graph answers reads at once meanwhile, and after SIGCONT the backlog is analysed and counted once', async () => {
    const productId = await newProduct('WSIG-ANALYSIS');
    const first = await submit(productId, 10, 'analysis-a');
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === 10 ? true : undefined), 90_000, 'the first reviews analysed');
    const worker = proc('analysis-worker-1');
    const mark = lines.length;
    expect(worker.child.kill('SIGSTOP')).toBe(true);
    const slowest: number[] = [];
    let during: string[];
    try {
      during = await submit(productId, 30, 'analysis-b');
      // Reads go on while the backlog waits; submissions are still counted by applications.
      const until = Date.now() + 4 * WORKER_ACK_WAIT_MS;
      while (Date.now() < until) {
        const page = await gql(PRODUCT_PAGE, { id: productId });
        slowest.push(page.ms);
        expect(page.body.errors).toBeUndefined();
        expect(page.body.data!.product.reviews.edges).toHaveLength(40);
        await sleep(250);
      }
      // Counted as submitted, not analysed: the backlog waits for the stopped worker, however long that takes here.
      const stopped = await eventually(async () => {
        const answer = await gql(PRODUCT_PAGE, { id: productId });
        return answer.body.data?.product?.insights?.reviewCount === 40 ? answer : undefined;
      }, 60_000, 'the new reviews counted as submitted');
      expect(stopped.body.data!.product.insights).toEqual({ reviewCount: 40, analyzedCount: 10 });
      expect(stopped.body.data!.product.reviews.edges.filter((e: any) => e.node.analysis?.status === 'DONE')).toHaveLength(10);
    } finally {
      worker.child.kill('SIGCONT');
    }
    // Within the gateway's subgraph timeout (5 s): answered from the stores, not waiting on the worker.
    expect(Math.max(...slowest)).toBeLessThan(5_000);
    const all = new Set([...first, ...during]);
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === all.size ? true : undefined), 120_000, 'the backlog analysed and counted');
    const page = await gql(PRODUCT_PAGE, { id: productId });
    expect(new Set(page.body.data!.product.reviews.edges.filter((e: any) => e.node.analysis?.status === 'DONE').map((e: any) => e.node.id))).toEqual(all);
    // Counted once: redeliveries of what the paused worker held change nothing.
    await sleep(2 * WORKER_ACK_WAIT_MS);
    expect(await insightsOf(productId)).toEqual({ reviewCount: 40, analyzedCount: 40 });
    expect(proc('analysis-worker-1').pid).toBe(worker.pid);
    expect(lines.slice(mark).filter((l) => l.includes('dead-letter') || l.startsWith('reviewgraph: '))).toEqual([]);
  }, 180_000);

  it('applications paused (SIGSTOP) past its ack wait while reviews come in: after SIGCONT its consumer counts every review once', async () => {
    const productId = await newProduct('WSIG-APPLICATIONS');
    const first = await submit(productId, 5, 'apps-a');
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === 5 ? true : undefined), 90_000, 'the first reviews counted');
    const applications = proc('applications');
    const mark = lines.length;
    expect(applications.child.kill('SIGSTOP')).toBe(true);
    let during: string[];
    try {
      during = await submit(productId, 20, 'apps-b');
      // The reviews are analysed meanwhile; only the counting waits.
      await eventually(async () => {
        const page = await gql(`query($id: ID!) { product(id: $id) { reviews(first: 100) { edges { node { analysis { status } } } } } }`, { id: productId });
        return page.body.data?.product?.reviews.edges.filter((e: any) => e.node.analysis?.status === 'DONE').length === 25 ? true : undefined;
      }, 90_000, 'the new reviews analysed while applications is stopped');
      await sleep(2 * WORKER_ACK_WAIT_MS);
    } finally {
      applications.child.kill('SIGCONT');
    }
    expect(first.length + during.length).toBe(25);
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === 25 ? true : undefined), 90_000, 'every review counted');
    await sleep(2 * WORKER_ACK_WAIT_MS);
    expect(await insightsOf(productId)).toEqual({ reviewCount: 25, analyzedCount: 25 });
    expect(proc('applications').pid).toBe(applications.pid);
    expect(lines.slice(mark).filter((l) => l.includes('dead-letter') || l.startsWith('reviewgraph: '))).toEqual([]);
  }, 180_000);

  it('applications and analysis subgraphs killed (SIGKILL) while reviews come in: the supervisor restarts each, the graph answers in full again, and every review is analysed and counted once', async () => {
    const productId = await newProduct('WSIG-KILL');
    const ids = new Set(await submit(productId, 10, 'kill-subgraphs-a'));
    for (const name of ['applications', 'analysis'] as const) {
      const victim = proc(name);
      const mark = lines.length;
      victim.child.kill('SIGKILL');
      for (const id of await submit(productId, 10, `kill-${name}`)) ids.add(id);
      await eventually(async () => (lines.slice(mark).some((l) => l.startsWith(`reviewgraph: ${name} (pid ${victim.pid}) killed by SIGKILL; restarting it in`)) ? true : undefined), 20_000, `the ${name} restart line`);
      await eventually(async () => (lines.slice(mark).some((l) => l.startsWith(`reviewgraph: ${name} is back (pid `)) ? true : undefined), 120_000, `${name} back`);
      expect(proc(name).pid).not.toBe(victim.pid);
    }
    expect(ids.size).toBe(30);
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === ids.size ? true : undefined), 120_000, 'every review analysed and counted');
    const page = await gql(PRODUCT_PAGE, { id: productId });
    expect(page.body.errors).toBeUndefined();
    expect(new Set(page.body.data!.product.reviews.edges.filter((e: any) => e.node.analysis?.status === 'DONE').map((e: any) => e.node.id))).toEqual(ids);
    await sleep(2 * WORKER_ACK_WAIT_MS);
    expect(await insightsOf(productId)).toEqual({ reviewCount: 30, analyzedCount: 30 });
    expect(failures).toEqual([]);
  }, 240_000);
});
