/**
 * The embedded launcher (FerretDB and NATS in one Go process) stopped with SIGSTOP for 10 s while
 * clients read and write through the gateway, then resumed with SIGCONT; and NATS alone hung for 10 s
 * (it cannot be stopped apart from FerretDB, so every process reaches it through a relay that stops
 * relaying, connections left open, as a stopped server's are). Promises checked from outside: every
 * request is answered within its documented timeout (no hang), with data or a clear masked error;
 * afterwards the graph recovers on its own, without restarts; every write the clients saw accepted
 * (or stored) is there, analysed and counted once, and none twice.
 * Its own launcher on its own data folder, so the servers other test files use are never paused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type EmbeddedServers } from '../../lib/embedded.js';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const KEY = 'lpause-write-key-0123456789abcdef';
const QUERY_TIMEOUT_MS = 4_000;
const MUTATION_TIMEOUT_MS = 5_000;
const PAUSE_MS = Number(process.env.LAUNCHER_PAUSE_MS ?? 10_000);
/** What the gateway may add on top of a subgraph timeout on a loaded machine; with it, each bound stays below the pause, so a request held through the pause fails. */
const SLACK_MS = 4_000;
const CLEAR_CODES = new Set(['SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_USE']);

const dataDir = mkdtempSync(join(tmpdir(), 'rg-launcher-pause-'));
let launcher: EmbeddedServers;
let natsRelay: TcpProxy;
let stack: Stack;
const lines: string[] = [];
/** A process that ended on its own: none may. */
const failures: string[] = [];
let pids: Array<number | undefined> = [];

interface Answer { status: number; ms: number; text: string; body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> } | null; error: string | null }

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const started = performance.now();
  try {
    // Far past every documented timeout: an answer this late is a hang.
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { status: response.status, ms: performance.now() - started, text, body: JSON.parse(text), error: null };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, text: '', body: null, error: (error as Error).message };
  }
}

const PRODUCT_PAGE = `query($id: ID!) { product(id: $id) { name insights { reviewCount analyzedCount } reviews(first: 5) { edges { node { id rating } } } } }`;
const SUBMIT = `mutation($r: [ReviewInput!]!, $key: String!) { submitReviews(input: { reviews: $r, idempotencyKey: $key }) { accepted { index id duplicate } rejected { index code message } } }`;

/** Every review id of the product, paging through the graph. */
async function listedReviewIds(productId: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await gql(`query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { id analysis { status } } } pageInfo { hasNextPage endCursor } } } }`, { id: productId, after });
    if (!page.body?.data || page.body.errors) throw new Error(page.error ?? JSON.stringify(page.body?.errors));
    const reviews = page.body.data.product.reviews;
    for (const edge of reviews.edges) ids.push(`${edge.node.id}:${edge.node.analysis?.status}`);
    if (!reviews.pageInfo.hasNextPage) return ids;
    after = reviews.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  launcher = await startEmbedded({ dataDir });
  natsRelay = await startTcpProxy(Number(new URL(launcher.natsUrl).port));
  stack = await startTestStack('lpause', {
    infra: { mongoUri: launcher.mongoUri, natsUrl: `nats://127.0.0.1:${natsRelay.port}` },
    workers: 1,
    keys: [{ key: KEY, name: 'writer', tenantId: 'lpause', scopes: ['read', 'write'] }],
    env: { SUBGRAPH_TIMEOUT_MS: String(QUERY_TIMEOUT_MS), SUBGRAPH_MUTATION_TIMEOUT_MS: String(MUTATION_TIMEOUT_MS) },
    write: (line) => lines.push(line),
    onFailure: (reason) => failures.push(reason),
  });
  pids = stack.processes.map((p) => p.pid);
}, 240_000);

afterAll(async () => {
  if (launcher?.pid) try { process.kill(launcher.pid, 'SIGCONT'); } catch { /* gone */ }
  natsRelay?.resume();
  await stack?.stop();
  await natsRelay?.close();
  await launcher?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/**
 * Two readers and a writer through the gateway around `fault`, until reads and writes answer normally
 * again. The writer is a client as the README tells it to be: each batch keeps its idempotency key and
 * externalIds and is sent again until it gets a clear answer (accepted, or NOT_PUBLISHED: stored).
 */
async function underLoad(sku: string, fault: () => Promise<void>) {
  const upsert = await gql(`mutation($sku: String!) { upsertProducts(input: { products: [{ sku: $sku, name: "Paused Watch", category: "sport-watch" }] }) { products { id } } }`, { sku });
  const productId = upsert.body!.data!.upsertProducts.products[0].id as string;
  const reads: Answer[] = [];
  const writes: Answer[] = [];
  /** externalId → the review id an answer gave it (accepted, or stored and not yet published). */
  const acknowledged = new Map<string, string>();
  const rejections: string[] = [];
  let running = true;
  const readers = Array.from({ length: 2 }, async () => {
    while (running) {
      reads.push(await gql(PRODUCT_PAGE, { id: productId }));
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  let batches = 0;
  const writer = (async () => {
    while (running) {
      const batch = batches++;
      const reviews = Array.from({ length: 5 }, (_, i) => ({ productId, rating: 1 + i, text: `Batch ${batch} review ${i}: the battery lasts a week.`, source: 'partner:pause', externalId: `${sku}-b${batch}-r${i}` }));
      for (;;) {
        const answer = await gql(SUBMIT, { r: reviews, key: `${sku}-batch-${batch}` });
        writes.push(answer);
        const result = answer.body?.data?.submitReviews;
        if (result) {
          for (const a of result.accepted) acknowledged.set(reviews[a.index]!.externalId, a.id);
          for (const r of result.rejected) {
            rejections.push(r.code);
            const stored = r.code === 'NOT_PUBLISHED' ? /review (\S+) is stored/.exec(r.message) : null;
            if (stored) acknowledged.set(reviews[r.index]!.externalId, stored[1]!);
          }
          // A clear answer: accepted, or stored and published later by the sweeper (checked at the end), so not sent again.
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();

  await new Promise((r) => setTimeout(r, 3_000));
  const started = performance.now();
  await fault();
  const ended = performance.now();
  await eventually(async () => {
    const read = reads.at(-1);
    const write = writes.at(-1);
    return read?.body?.data?.product?.name && !read.body.errors && write?.body?.data?.submitReviews?.rejected.length === 0 && performance.now() - ended > 3_000 ? true : undefined;
  }, 90_000, 'reads and writes answered normally again').catch((error) => {
    console.log('last read', reads.at(-1)?.text.slice(0, 500), 'last write', writes.at(-1)?.text.slice(0, 800), writes.at(-1)?.error, '\n', lines.slice(-40).join('\n'));
    throw error;
  });
  running = false;
  await Promise.all([...readers, writer]);
  return { productId, reads, writes, acknowledged, rejections, batches, faultMs: ended - started };
}

/** No hang: each answer came within its timeout, as data or a clear, masked error. */
function expectTimelyAnswers(answers: Answer[], timeoutMs: number, what: string): void {
  for (const answer of answers) {
    expect(answer.error, `a ${what} got an answer`).toBeNull();
    expect(answer.ms, `a ${what} answered within its timeout`).toBeLessThan(timeoutMs + SLACK_MS);
    expect(answer.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Mongo|nats|stack/i);
    for (const error of answer.body?.errors ?? []) expect(CLEAR_CODES, JSON.stringify(error)).toContain(error.extensions?.code);
  }
}

/** Every acknowledged review is stored once, analysed and counted once; nothing else is. */
async function expectEveryAcknowledgedReviewOnce(run: Awaited<ReturnType<typeof underLoad>>): Promise<void> {
  const expected = [...new Set(run.acknowledged.values())].sort();
  expect(expected).toHaveLength(run.batches * 5);
  await eventually(async () => {
    const listed = await listedReviewIds(run.productId);
    return listed.length === expected.length && listed.every((l) => l.endsWith(':DONE')) ? true : undefined;
  }, 120_000, 'every acknowledged review listed and analysed');
  expect((await listedReviewIds(run.productId)).map((l) => l.split(':')[0]).sort()).toEqual(expected);
  await eventually(async () => {
    const insights = (await gql(PRODUCT_PAGE, { id: run.productId })).body?.data?.product?.insights;
    return insights?.reviewCount === expected.length && insights.analyzedCount === expected.length ? true : undefined;
  }, 60_000, 'every acknowledged review counted');
  await new Promise((r) => setTimeout(r, 3_000));
  expect((await gql(PRODUCT_PAGE, { id: run.productId })).body!.data!.product.insights).toEqual({ reviewCount: expected.length, analyzedCount: expected.length });
}

function summary(run: Awaited<ReturnType<typeof underLoad>>): string {
  const codes = [...new Set([...run.reads, ...run.writes].flatMap((a) => (a.body?.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message.slice(0, 80)}`)))];
  return JSON.stringify({ faultMs: Math.round(run.faultMs), reads: run.reads.length, writes: run.writes.length, batches: run.batches, rejections: run.rejections.length,
    slowestRead: Math.round(Math.max(...run.reads.map((r) => r.ms))), slowestWrite: Math.round(Math.max(...run.writes.map((w) => w.ms))), codes });
}

describe('a paused database and bus', () => {
  it('launcher stopped (SIGSTOP) for 10 s: every request answered within its timeout with data or a clear error, recovery after SIGCONT, every accepted review kept once', async () => {
    const run = await underLoad('LPAUSE-ALL', async () => {
      expect(process.kill(launcher.pid!, 'SIGSTOP')).toBe(true);
      try {
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      } finally {
        process.kill(launcher.pid!, 'SIGCONT');
      }
    });
    console.log('launcher pause:', summary(run));
    expectTimelyAnswers(run.reads, QUERY_TIMEOUT_MS, 'read');
    expectTimelyAnswers(run.writes, MUTATION_TIMEOUT_MS, 'write');
    expect(run.reads.filter((r) => r.body?.errors).length, 'the pause was felt by some read').toBeGreaterThan(0);
    expect(run.rejections.filter((c) => c !== 'NOT_PUBLISHED')).toEqual([]);
    await expectEveryAcknowledgedReviewOnce(run);
    // The same processes did it: a pause is not a crash.
    expect(failures).toEqual([]);
    expect(stack.processes.map((p) => p.pid)).toEqual(pids);
  }, 240_000);

  it('NATS alone hung for 10 s: reads answer in full meanwhile, writes are answered within their timeout (accepted, stored, or timed out and sent again), and every review is published, analysed and counted once', async () => {
    const run = await underLoad('LPAUSE-BUS', async () => {
      natsRelay.pause();
      try {
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      } finally {
        natsRelay.resume();
      }
    });
    console.log('bus pause:', summary(run));
    // Reads need no bus.
    expectTimelyAnswers(run.reads, QUERY_TIMEOUT_MS, 'read');
    expect(run.reads.filter((r) => r.body?.errors)).toEqual([]);
    expectTimelyAnswers(run.writes, MUTATION_TIMEOUT_MS, 'write');
    expect(run.rejections.filter((c) => c !== 'NOT_PUBLISHED')).toEqual([]);
    await expectEveryAcknowledgedReviewOnce(run);
    expect(failures).toEqual([]);
    expect(stack.processes.map((p) => p.pid)).toEqual(pids);
  }, 240_000);
});
