/**
 * The database hung (a relay that stops relaying, connections left open, as a SIGSTOPped server's are)
 * under a running graph. Promises checked from outside: each read is answered with the clear, masked
 * `DATABASE_UNAVAILABLE` within the database bound, before the gateway's own subgraph timeout (so the
 * client learns the database is the problem); a write gets the same code and is told it may have been
 * applied; calls do not pile up in the subgraph (every read of a long pause keeps being answered within
 * the bound); after the pause reads recover with the same processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { testInfra } from '../support/infra.js';
import { startTestStack } from '../support/stack.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const KEY = 'deadline-key-0123456789abcdef0123';
const DB_BOUND_MS = 1_500;
const QUERY_TIMEOUT_MS = 8_000;
/** Longer than server selection (10 s) and a connection handshake (10 s): a pause that outlasts every other bound. */
const PAUSE_MS = 25_000;

let proxy: TcpProxy;
let stack: Stack;
const lines: string[] = [];
const failures: string[] = [];

interface Answer { ms: number; body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> } | null; text: string }

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { ms: performance.now() - started, body: JSON.parse(text), text };
}

const READ = `query($id: ID!) { product(id: $id) { name } }`;
const UPSERT = `mutation($sku: String!) { upsertProducts(input: { products: [{ sku: $sku, name: "Deadline Watch", category: "sport-watch" }] }) { products { id } } }`;

beforeAll(async () => {
  const { mongoUri, natsUrl } = testInfra();
  proxy = await startTcpProxy(Number(new URL(mongoUri).port));
  stack = await startTestStack('deadline', {
    infra: { mongoUri: `mongodb://127.0.0.1:${proxy.port}/`, natsUrl },
    workers: 1,
    keys: [{ key: KEY, name: 'writer', tenantId: 'deadline', scopes: ['read', 'write'] }],
    env: { DB_OPERATION_TIMEOUT_MS: String(DB_BOUND_MS), SUBGRAPH_TIMEOUT_MS: String(QUERY_TIMEOUT_MS), SUBGRAPH_MUTATION_TIMEOUT_MS: String(QUERY_TIMEOUT_MS) },
    write: (line) => lines.push(line),
    onFailure: (reason) => failures.push(reason),
  });
}, 240_000);

afterAll(async () => {
  proxy?.resume();
  await stack?.stop();
  await proxy?.close();
}, 60_000);

describe('a hung database under a running graph', () => {
  it('reads and writes get DATABASE_UNAVAILABLE within the database bound, nothing piles up, and reads recover after', async () => {
    const productId = (await gql(UPSERT, { sku: 'DEADLINE-1' })).body!.data!.upsertProducts.products[0].id as string;
    expect((await gql(READ, { id: productId })).body).toEqual({ data: { product: { name: 'Deadline Watch' } } });
    const pids = stack.processes.map((p) => p.pid);

    proxy.pause();
    const reads: Answer[] = [];
    let write: Answer | undefined;
    try {
      const until = performance.now() + PAUSE_MS;
      while (performance.now() < until) {
        // Two at once, so the pool must hand out more than one connection while the database hangs.
        reads.push(...(await Promise.all([gql(READ, { id: productId }), gql(READ, { id: productId })])));
        if (!write) write = await gql(UPSERT, { sku: 'DEADLINE-2' });
      }
    } finally {
      proxy.resume();
    }
    const summary = JSON.stringify(reads.map((r) => [Math.round(r.ms), r.body?.errors?.[0]?.extensions?.code ?? 'ok']));
    expect(reads.length, summary).toBeGreaterThan(4);
    for (const read of reads) {
      expect(read.body?.errors?.[0]?.extensions?.code, summary).toBe('DATABASE_UNAVAILABLE');
      expect(read.body!.errors![0]!.extensions!.retrySafe).toBe(true);
      // The bound, plus a little for the gateway and a loaded machine: well before the gateway's own timeout.
      expect(read.ms, summary).toBeLessThan(QUERY_TIMEOUT_MS - 2_000);
      expect(read.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|Mongo|stack/i);
    }
    const writeError = write?.body?.errors?.[0];
    expect(writeError?.extensions, write?.text).toMatchObject({ code: 'DATABASE_UNAVAILABLE', mayHaveApplied: true, retrySafe: false });
    expect(writeError?.message).toMatch(/may or may not have been applied/);

    await eventually(async () => ((await gql(READ, { id: productId })).body?.data?.product?.name === 'Deadline Watch' ? true : undefined), 30_000, 'reads recover after the pause');
    expect(failures).toEqual([]);
    expect(stack.processes.map((p) => p.pid)).toEqual(pids);
  }, 120_000);
});
