/**
 * `npm start` itself (scripts/start.ts, the supervisor) stopped with SIGSTOP for 10 s while clients
 * read and write through the gateway, then resumed: it is in no request's path, its processes do not
 * take a paused supervisor for a dead one, and once resumed it restarts nothing and stops nothing.
 * A real `npm start` in its own process group, on its own data folder, ports and embedded launcher.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';

const PAUSE_MS = 10_000;
const dataDir = mkdtempSync(join(tmpdir(), 'rg-supervisor-pause-'));
const lines: string[] = [];
let child: ChildProcess;
let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let gatewayUrl: string;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(15_000) });
  return { ms: performance.now() - started, body: (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string }> } };
}

/** pids of the processes `npm start` started. */
function family(): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' }).split('\n').filter((l) => l.trim()).map(Number);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

beforeAll(async () => {
  const ports = { GATEWAY_PORT: await freePort(), COLLECTION_PORT: await freePort(), ANALYSIS_PORT: await freePort(), APPLICATIONS_PORT: await freePort() };
  gatewayUrl = `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
  // A liveness window (3 checks of 1 s, 1 s apart) shorter than the pause: the time the supervisor lost must not count against its processes.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', LIVENESS_INTERVAL_MS: '1000', LIVENESS_TIMEOUT_MS: '1000', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  delete env.MONGODB_URI;
  delete env.NATS_URL;
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--workers', '1', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let partial = '';
  const collect = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter((l) => l.trim() !== ''));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  exit = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  await eventually(async () => (lines.some((l) => l.startsWith('reviewgraph is up: ')) ? true : undefined), 240_000, 'reviewgraph is up');
}, 250_000);

afterAll(async () => {
  if (!child || child.exitCode !== null || child.signalCode !== null) return rmSync(dataDir, { recursive: true, force: true });
  try { process.kill(child.pid!, 'SIGCONT'); } catch { /* gone */ }
  child.kill('SIGTERM');
  const stopped = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
  if (!stopped) try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start paused', () => {
  it('keeps serving reads and writes while the supervisor is stopped (SIGSTOP) for 10 s, and after SIGCONT restarts and stops nothing', async () => {
    const upsert = await gql(`mutation { upsertProducts(input: { products: [{ sku: "SUP-PAUSE", name: "Paused Supervisor", category: "sport-watch" }] }) { products { id } } }`);
    const productId = upsert.body.data!.upsertProducts.products[0].id as string;
    const before = family();
    expect(before.length).toBeGreaterThanOrEqual(7);
    const mark = lines.length;

    expect(process.kill(child.pid!, 'SIGSTOP')).toBe(true);
    const answers: Array<{ ms: number; ok: boolean; what: string }> = [];
    const accepted: string[] = [];
    try {
      const until = Date.now() + PAUSE_MS;
      for (let i = 0; Date.now() < until; i++) {
        const read = await gql(`query($id: ID!) { product(id: $id) { name insights { reviewCount } } }`, { id: productId });
        answers.push({ ms: read.ms, ok: !read.body.errors && read.body.data?.product?.name === 'Paused Supervisor', what: JSON.stringify(read.body).slice(0, 200) });
        const write = await gql(`mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { code } } }`, { r: [{ productId, rating: 4, text: `Written while the supervisor is paused, number ${i}.` }] });
        answers.push({ ms: write.ms, ok: !write.body.errors && write.body.data?.submitReviews.accepted.length === 1, what: JSON.stringify(write.body).slice(0, 200) });
        accepted.push(...(write.body.data?.submitReviews.accepted ?? []).map((a: { id: string }) => a.id));
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      process.kill(child.pid!, 'SIGCONT');
    }
    expect(answers.filter((a) => !a.ok).map((a) => a.what)).toEqual([]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(5_000);
    expect(accepted.length).toBeGreaterThan(0);

    // The work done meanwhile goes through: every review written is analysed and counted, once.
    await eventually(async () => {
      const insights = (await gql(`query($id: ID!) { product(id: $id) { insights { reviewCount analyzedCount } } }`, { id: productId })).body.data?.product?.insights;
      return insights?.reviewCount === accepted.length && insights.analyzedCount === accepted.length ? true : undefined;
    }, 120_000, 'every review written during the pause analysed and counted');
    // Resumed, it finds every process where it left it: nothing restarted, nothing stopped.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(family().sort()).toEqual(before.sort());
    expect(lines.slice(mark).filter((l) => l.startsWith('reviewgraph: '))).toEqual([]);
    expect(child.exitCode).toBeNull();
  }, 180_000);
});
