/**
 * The embedded launcher (FerretDB and NATS in one Go process, so neither can be paused alone) stopped
 * with SIGSTOP for 10 s while clients read and write through the gateway, then resumed with SIGCONT.
 * Promises checked from outside: every request is answered within its documented timeout (no hang),
 * with data or a clear masked error; after SIGCONT the graph recovers on its own; every write the
 * clients saw accepted (or stored) is there, analysed and counted once, and none twice.
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

const KEY = 'lpause-write-key-0123456789abcdef';
const QUERY_TIMEOUT_MS = 3_000;
const MUTATION_TIMEOUT_MS = 8_000;
const PAUSE_MS = Number(process.env.LAUNCHER_PAUSE_MS ?? 10_000);
/** What the gateway may add on top of a subgraph timeout on a loaded machine. */
const SLACK_MS = 3_000;
const CLEAR_CODES = new Set(['SUBGRAPH_TIMEOUT', 'SUBGRAPH_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'IDEMPOTENCY_KEY_IN_USE']);

const dataDir = mkdtempSync(join(tmpdir(), 'rg-launcher-pause-'));
let launcher: EmbeddedServers;
let stack: Stack;
const lines: string[] = [];

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
  stack = await startTestStack('lpause', {
    infra: { mongoUri: launcher.mongoUri, natsUrl: launcher.natsUrl },
    workers: 1,
    keys: [{ key: KEY, name: 'writer', tenantId: 'lpause', scopes: ['read', 'write'] }],
    env: { SUBGRAPH_TIMEOUT_MS: String(QUERY_TIMEOUT_MS), SUBGRAPH_MUTATION_TIMEOUT_MS: String(MUTATION_TIMEOUT_MS) },
    write: (line) => lines.push(line),
  });
}, 240_000);

afterAll(async () => {
  if (launcher?.pid) try { process.kill(launcher.pid, 'SIGCONT'); } catch { /* gone */ }
  await stack?.stop();
  await launcher?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the embedded launcher paused (SIGSTOP) for 10 s under reads and writes', () => {
  it('answers every request within its timeout with data or a clear error, recovers after SIGCONT, and keeps every accepted review once', async () => {
    const upsert = await gql(`mutation { upsertProducts(input: { products: [{ sku: "LPAUSE-1", name: "Paused Watch", category: "sport-watch" }] }) { products { id } } }`);
    const productId = upsert.body!.data!.upsertProducts.products[0].id as string;

    const reads: Answer[] = [];
    const writes: Array<Answer & { batch: number }> = [];
    /** externalId → the review id an answer gave it (accepted, or stored and not yet published). */
    const acknowledged = new Map<string, string>();
    let running = true;
    const readers = Array.from({ length: 2 }, async () => {
      while (running) {
        reads.push(await gql(PRODUCT_PAGE, { id: productId }));
        await new Promise((r) => setTimeout(r, 200));
      }
    });
    // A client as the README tells it to be: each batch keeps its idempotency key and externalIds, and is sent again until it gets a clear answer.
    let batches = 0;
    const writer = (async () => {
      while (running) {
        const batch = batches++;
        const reviews = Array.from({ length: 5 }, (_, i) => ({ productId, rating: 1 + i, text: `Batch ${batch} review ${i}: the battery lasts a week.`, source: 'partner:pause', externalId: `b${batch}-r${i}` }));
        for (;;) {
          const answer = await gql(SUBMIT, { r: reviews, key: `pause-batch-${batch}` });
          writes.push({ ...answer, batch });
          const result = answer.body?.data?.submitReviews;
          if (result) {
            for (const a of result.accepted) acknowledged.set(reviews[a.index]!.externalId, a.id);
            for (const r of result.rejected) {
              expect(r.code).toBe('NOT_PUBLISHED');
              acknowledged.set(reviews[r.index]!.externalId, r.message.match(/review (\S+) is stored/)![1]!);
            }
            // Stored but unpublished ones are published by the sweeper; resending is safe and settles them sooner.
            if (result.rejected.length === 0) break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();

    await new Promise((r) => setTimeout(r, 3_000));
    const pausedAt = performance.now();
    expect(process.kill(launcher.pid!, 'SIGSTOP')).toBe(true);
    try {
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    } finally {
      process.kill(launcher.pid!, 'SIGCONT');
    }
    const resumedAt = performance.now();
    // Keep going until reads and a write succeed again.
    await eventually(async () => {
      const read = reads.at(-1);
      const write = writes.at(-1);
      return read?.body?.data?.product?.name && !read.body.errors && write?.body?.data?.submitReviews && performance.now() - resumedAt > 3_000 ? true : undefined;
    }, 90_000, 'reads and writes answered normally again');
    running = false;
    await Promise.all([...readers, writer]);

    // No hang: each answer came within its timeout, as data or a clear, masked error.
    for (const read of reads) {
      expect(read.error, 'a read got an answer').toBeNull();
      expect(read.ms, 'a read answered within the query timeout').toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
      expect(read.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Mongo|nats|stack/i);
      for (const error of read.body?.errors ?? []) expect(CLEAR_CODES, JSON.stringify(error)).toContain(error.extensions?.code);
    }
    for (const write of writes) {
      expect(write.error, 'a write got an answer').toBeNull();
      expect(write.ms, 'a write answered within the mutation timeout').toBeLessThan(MUTATION_TIMEOUT_MS + SLACK_MS);
      expect(write.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Mongo|nats|stack/i);
      for (const error of write.body?.errors ?? []) expect(CLEAR_CODES, JSON.stringify(error)).toContain(error.extensions?.code);
    }
    const pausedReads = reads.filter((r) => r.body?.errors);
    expect(pausedReads.length, 'the pause was felt by some read').toBeGreaterThan(0);

    // Every acknowledged review is stored once, analysed and counted once; nothing else is.
    const expected = [...new Set(acknowledged.values())].sort();
    expect(expected).toHaveLength(batches * 5);
    await eventually(async () => {
      const listed = await listedReviewIds(productId);
      return listed.length === expected.length && listed.every((l) => l.endsWith(':DONE')) ? true : undefined;
    }, 120_000, 'every acknowledged review listed and analysed');
    expect((await listedReviewIds(productId)).map((l) => l.split(':')[0]).sort()).toEqual(expected);
    await eventually(async () => {
      const insights = (await gql(PRODUCT_PAGE, { id: productId })).body?.data?.product?.insights;
      return insights?.reviewCount === expected.length && insights.analyzedCount === expected.length ? true : undefined;
    }, 60_000, 'every acknowledged review counted');
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await gql(PRODUCT_PAGE, { id: productId })).body!.data!.product.insights).toEqual({ reviewCount: expected.length, analyzedCount: expected.length });
    // The same processes did it: a pause is not a crash.
    expect(lines.filter((l) => l.startsWith('reviewgraph: '))).toEqual([]);
    console.log('launcher pause:', JSON.stringify({ pauseMs: Math.round(resumedAt - pausedAt), reads: reads.length, pausedReads: pausedReads.length, writes: writes.length, batches,
      slowestRead: Math.round(Math.max(...reads.map((r) => r.ms))), slowestWrite: Math.round(Math.max(...writes.map((w) => w.ms))),
      codes: [...new Set([...reads, ...writes].flatMap((a) => (a.body?.errors ?? []).map((e) => `${e.extensions?.code}:${e.message.slice(0, 80)}`)))] }));
  }, 240_000);
});
