/**
 * A subgraph that is stopped (SIGSTOP) never exits, so only asking it shows it is gone. Promises checked
 * from outside, on the whole graph under a restart policy: a stop shorter than the liveness window
 * restarts nothing; a stop longer than it gets that process killed and restarted (a clear log line says
 * why), and reads through the gateway recover with no help.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import type { RunningProcess } from '../../lib/supervisor.js';
import { eventually } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';

const KEY = 'liveness-key-0123456789abcdef0123';
const INTERVAL_MS = 1_000;
const TIMEOUT_MS = 1_000;
const FAILURES = 3;
/** Three misses need at least this long: the first check that meets the stop, two more after it. */
const WINDOW_MS = FAILURES * (INTERVAL_MS + TIMEOUT_MS);

let stack: Stack;
const lines: string[] = [];
const failures: string[] = [];
const stoppedPids = new Set<number>();

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(30_000),
  });
  return (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

const READ = `query($id: ID!) { product(id: $id) { name } }`;
const collection = (): RunningProcess => stack.processes.find((p) => p.spec.name === 'collection')!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await startTestStack('liveness', {
    workers: 1,
    keys: [{ key: KEY, name: 'writer', tenantId: 'liveness', scopes: ['read', 'write'] }],
    restart: { initialDelayMs: 200, maxDelayMs: 1_000, stableAfterMs: 60_000, maxCrashes: 5, crashWindowMs: 60_000 },
    env: { LIVENESS_INTERVAL_MS: String(INTERVAL_MS), LIVENESS_TIMEOUT_MS: String(TIMEOUT_MS), LIVENESS_FAILURES: String(FAILURES), SUBGRAPH_TIMEOUT_MS: '3000' },
    write: (line) => lines.push(line),
    onFailure: (reason) => failures.push(reason),
  });
}, 240_000);

afterAll(async () => {
  for (const pid of stoppedPids) try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
  await stack?.stop();
}, 60_000);

describe('liveness checks of a supervised graph', () => {
  it('a short stop restarts nothing; a stop past the window gets the process killed and restarted, and reads recover', async () => {
    const productId = (await gql(`mutation { upsertProducts(input: { products: [{ sku: "LIVE-1", name: "Live Watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    expect((await gql(READ, { id: productId })).data).toEqual({ product: { name: 'Live Watch' } });
    const pids = stack.processes.map((p) => p.pid);

    // Below the window: at most two checks can miss.
    const first = collection().pid!;
    stoppedPids.add(first);
    process.kill(first, 'SIGSTOP');
    await sleep(WINDOW_MS / 2);
    process.kill(first, 'SIGCONT');
    stoppedPids.delete(first);
    await sleep(WINDOW_MS);
    expect(stack.processes.map((p) => p.pid), lines.slice(-20).join('\n')).toEqual(pids);
    expect(lines.filter((l) => l.includes('liveness'))).toEqual([]);
    expect((await gql(READ, { id: productId })).data).toEqual({ product: { name: 'Live Watch' } });

    // Past the window: it stays stopped until the supervisor has replaced it.
    stoppedPids.add(first);
    process.kill(first, 'SIGSTOP');
    const replaced = await eventually(async () => {
      const pid = collection().pid;
      return pid !== first ? pid : undefined;
    }, WINDOW_MS + 60_000, 'the stopped collection subgraph replaced').catch((error) => {
      throw new Error(`${(error as Error).message}\n${lines.slice(-30).join('\n')}`);
    });
    stoppedPids.delete(first);
    expect(replaced).toBeDefined();
    expect(lines.some((l) => l.includes(`collection (pid ${first}) did not answer ${FAILURES} liveness checks in a row`) && l.includes('SIGKILL'))).toBe(true);
    await eventually(async () => ((await gql(READ, { id: productId })).data?.product?.name === 'Live Watch' ? true : undefined), 60_000, 'reads recover');
    // Only the stopped process was replaced; nothing gave up.
    expect(stack.processes.map((p) => p.pid).filter((pid) => !pids.includes(pid))).toEqual([replaced]);
    expect(failures).toEqual([]);
  }, 180_000);
});
