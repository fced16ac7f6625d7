import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../lib/stack.js';
import { gatewayData } from '../support/gateway-client.js';
import { startImportCli } from '../support/import-cli.js';
import { startTestStack } from '../support/stack.js';

/**
 * The importer's batches in flight, watched from outside: it talks to the real gateway through an
 * HTTP proxy that counts the submitReviews calls open at once, reads each call's idempotency key
 * (the run's id and the batch's byte offset), and can hold answers back so that several batches are
 * in flight when the importer is killed, interrupted or stopped.
 */

const WRITE_KEY = 'import-flight-key-0123456789abcdef';
let stack: Stack;
let dir: string;
const products: Record<string, string> = {};

interface Submit { key: string | null; runId: string | null; offset: number | null }

class WatchingProxy {
  readonly submits: Submit[] = [];
  open = 0;
  maxOpen = 0;
  /** Answers to the calls this picks wait until release(). */
  hold: (submit: Submit) => boolean = () => false;
  private readonly waiting: Array<() => void> = [];
  private server!: Server;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      let submit: Submit | null = null;
      try {
        const { query, variables } = JSON.parse(body.toString('utf8')) as { query: string; variables?: { key?: string | null } };
        if (query.includes('submitReviews')) {
          const key = variables?.key ?? null;
          const parts = key?.split(':') ?? [];
          submit = { key, runId: parts[1] ?? null, offset: parts[3] === undefined ? null : Number(parts[3]) };
        }
      } catch {
        // not JSON: passed on as it is
      }
      let counted = false;
      if (submit) {
        this.submits.push(submit);
        this.open++;
        this.maxOpen = Math.max(this.maxOpen, this.open);
        counted = true;
      }
      // open from the request's arrival until its answer is sent or the importer is gone
      res.on('close', () => {
        if (counted) this.open--;
        counted = false;
      });
      const answer = await fetch(this.target, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': String(req.headers['x-api-key'] ?? '') }, body });
      const text = Buffer.from(await answer.arrayBuffer());
      if (submit && this.hold(submit)) await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json', ...(answer.headers.get('retry-after') ? { 'retry-after': answer.headers.get('retry-after')! } : {}) });
      res.end(text);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  release(): void {
    this.hold = () => false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  reset(): void {
    this.release();
    this.submits.length = 0;
    this.maxOpen = this.open;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let proxy: WatchingProxy;

const gql = (query: string, variables: Record<string, unknown> = {}) => gatewayData(stack.gatewayUrl, WRITE_KEY, query, variables);

const running = new Set<ChildProcess>();

function startImport(args: string[]) {
  const { child, done } = startImportCli(args, { gatewayUrl: proxy.url, apiKey: WRITE_KEY });
  running.add(child);
  return { child, done: done.finally(() => running.delete(child)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `ready` holds, then until no submitReviews call has arrived for `quietMs`. */
async function settle(ready: () => boolean, quietMs = 1500, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not ready in ${timeoutMs} ms; calls seen: ${proxy.submits.length}`);
    await sleep(25);
  }
  let seen = -1;
  while (seen !== proxy.submits.length) {
    seen = proxy.submits.length;
    await sleep(quietMs);
  }
}

/** Bytes the process has read so far, files and sockets (/proc/PID/io). */
function bytesRead(pid: number): number {
  return Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);
}

/** Where each batch of `size` reviews starts in a JSONL file: a batch ends after its size-th line that is a JSON object. */
function batchStarts(lines: readonly string[], size: number): number[] {
  const starts = [0];
  let offset = 0;
  let reviews = 0;
  for (const line of lines) {
    offset += Buffer.byteLength(line) + 1;
    let object = false;
    try {
      const value = JSON.parse(line);
      object = typeof value === 'object' && value !== null && !Array.isArray(value);
    } catch {
      // a broken line: rejected by the importer itself, not part of a batch's count
    }
    if (object && ++reviews === size) {
      starts.push(offset);
      reviews = 0;
    }
  }
  return starts;
}

async function storedExternalIds(productId: string): Promise<string[]> {
  const all: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data = await gql(`query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { externalId } } pageInfo { hasNextPage endCursor } } } }`, { id: productId, after });
    all.push(...data.product.reviews.edges.map((e: { node: { externalId: string } }) => e.node.externalId));
    if (!data.product.reviews.pageInfo.hasNextPage) return all;
    after = data.product.reviews.pageInfo.endCursor;
  }
}

const checkpointOf = async (file: string) => JSON.parse(await readFile(`${file}.import-checkpoint.json`, 'utf8')) as { offset: number; line: number; runId: string; counts: { rows: number; imported: number; duplicates: number; rejected: number } };

beforeAll(async () => {
  stack = await startTestStack('importflight', { workers: 0, keys: [{ key: WRITE_KEY, name: 'importer', tenantId: 'importflight', scopes: ['read', 'write'] }] });
  proxy = new WatchingProxy(stack.gatewayUrl);
  await proxy.start();
  dir = await mkdtemp(join(tmpdir(), 'import-flight-'));
  const skus = ['WINDOW-1', 'KILL-1', 'STOP-1'];
  const data = await gql(`mutation($p: [ProductInput!]!) { upsertProducts(input: { products: $p }) { products { id sku } } }`, { p: skus.map((sku) => ({ sku, name: `Watch ${sku}`, category: 'sport-watch' })) });
  for (const p of data.upsertProducts.products) products[p.sku] = p.id;
}, 180_000);

// an importer a failed test left running must not send its batches into the next test's proxy counts
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

afterAll(async () => {
  await proxy?.stop();
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run import, several batches in flight', () => {
  it('keeps at most 4 submitReviews calls open by default and stops reading the file while they are; Ctrl-C lets them finish and keeps the place', async () => {
    proxy.reset();
    const file = join(dir, 'window.jsonl');
    // rows of 100 KB (a column the importer does not read pads them), so what it has read shows in its byte count
    const total = 400;
    const padding = 'p'.repeat(100 * 1024);
    const lines = Array.from({ length: total }, (_, i) => JSON.stringify({ productId: products['WINDOW-1'], rating: 1 + (i % 5), text: `Window review ${i}`, id: `W-${i}`, notes: padding }));
    await writeFile(file, `${lines.join('\n')}\n`);
    const fileBytes = lines.reduce((sum, l) => sum + l.length + 1, 0);
    const starts = batchStarts(lines, 10);
    const args = [file, '--source', 'import:window', '--batch-size', '10'];

    proxy.hold = () => true;
    const first = startImport(args);
    await settle(() => proxy.submits.length >= 4);
    // four unanswered batches, and no fifth sent while they are
    expect(proxy.submits.map((s) => s.offset)).toEqual(expect.arrayContaining(starts.slice(0, 4)));
    expect(proxy.submits).toHaveLength(4);
    expect(proxy.open).toBe(4);
    // the file is 40 MiB; the four batches are 4 MB of it: reading waits for them
    const read = bytesRead(first.child.pid!);
    expect(read).toBeLessThan(16 * 1024 * 1024);
    expect(fileBytes).toBeGreaterThan(39 * 1024 * 1024);
    expect((await checkpointOf(file)).counts.rows).toBe(0);

    first.child.kill('SIGINT');
    await sleep(1000);
    // it waits for the answers of what is in flight, and sends nothing new
    expect(first.child.exitCode).toBeNull();
    expect(proxy.submits).toHaveLength(4);
    proxy.release();
    const stopped = await first.done;
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toMatch(/stopped at line 41: 40 rows: 40 imported, 0 already stored, 0 rejected so far/);
    const state = await checkpointOf(file);
    expect(state).toMatchObject({ offset: starts[4], line: 41, counts: { rows: 40, imported: 40, duplicates: 0, rejected: 0 } });
    expect(proxy.maxOpen).toBe(4);

    const rerun = await startImport(args).done;
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`${total} rows: ${total} imported, 0 already stored, 0 rejected`));
    expect(proxy.maxOpen).toBe(4);
    const stored = await storedExternalIds(products['WINDOW-1']!);
    expect(stored).toHaveLength(total);
    expect(new Set(stored)).toEqual(new Set(lines.map((_, i) => `W-${i}`)));
  }, 300_000);

  it('after a SIGKILL with an old batch unanswered and the later ones answered, the checkpoint is at the unanswered one and a rerun sends the same keys: every valid row stored once', async () => {
    proxy.reset();
    const file = join(dir, 'killed.jsonl');
    const total = 200;
    const bad = new Map([[36, 'OUT_OF_RANGE'], [58, 'UNREADABLE'], [89, 'OUT_OF_RANGE'], [121, 'UNREADABLE']]);
    const lines = Array.from({ length: total }, (_, i) => {
      const line = i + 1;
      if (bad.get(line) === 'UNREADABLE') return line === 58 ? '{"productId": "cut off' : '[1, 2, 3]';
      return JSON.stringify({ productId: products['KILL-1'], rating: bad.has(line) ? 9 : 1 + (i % 5), text: `Killed review ${i}`, id: `K-${i}` });
    });
    await writeFile(file, `${lines.join('\n')}\n`);
    const starts = batchStarts(lines, 10);
    const args = [file, '--source', 'import:killed', '--batch-size', '10', '--concurrency', '3'];

    // the second batch's answer is held: the first is acknowledged; later batches are answered and wait
    // for it, up to 4 per call (12), while calls go on three at a time
    proxy.hold = (s) => s.offset === starts[1];
    const first = startImport(args);
    await settle(() => proxy.submits.length >= 13);
    expect(proxy.submits.map((s) => s.offset).sort((a, b) => a! - b!)).toEqual(starts.slice(0, 13));
    expect(proxy.open).toBe(1);
    expect(proxy.maxOpen).toBe(3);
    // the checkpoint moves only past batches whose predecessors are answered too
    const state = await checkpointOf(file);
    expect(state).toMatchObject({ offset: starts[1], counts: { rows: 10, imported: 10 } });
    const keysInFlight = new Map(proxy.submits.filter((s) => s.offset !== starts[0]).map((s) => [s.offset, s.key]));
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    proxy.reset();

    const rerun = await startImport(args).done;
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(1);
    expect(rerun.stdout).toMatch(/resuming at line 11 /);
    // the batches the gateway had taken get their first answers back: imported once, never "already stored"
    expect(rerun.stdout).toMatch(new RegExp(`${total} rows: ${total - bad.size} imported, 0 already stored, ${bad.size} rejected`));
    const resent = new Map(proxy.submits.map((s) => [s.offset, s.key]));
    for (const [offset, key] of keysInFlight) expect(resent.get(offset)).toBe(key);
    expect(proxy.maxOpen).toBeLessThanOrEqual(3);

    const stored = await storedExternalIds(products['KILL-1']!);
    expect(stored).toHaveLength(total - bad.size);
    expect(new Set(stored)).toEqual(new Set(lines.flatMap((_, i) => (bad.has(i + 1) ? [] : [`K-${i}`]))));
    const report = (await readFile(`${file}.rejected.csv`, 'utf8')).trim().split('\n').slice(1);
    expect(report.map((l) => l.split(',').slice(0, 3).join(','))).toEqual([...bad].map(([line, code]) => `${line},${code === 'OUT_OF_RANGE' ? 'rating' : ''},${code}`));
    expect(existsSync(`${file}.import-checkpoint.json`)).toBe(false);
  }, 240_000);

  it('stopped with SIGSTOP for six seconds mid-flight and continued with SIGCONT, it finishes with every row stored once', async () => {
    proxy.reset();
    const file = join(dir, 'paused.jsonl');
    const total = 200;
    const lines = Array.from({ length: total }, (_, i) => JSON.stringify({ productId: products['STOP-1'], rating: 1 + (i % 5), text: `Paused review ${i}`, id: `P-${i}` }));
    await writeFile(file, `${lines.join('\n')}\n`);
    const run = startImport([file, '--source', 'import:paused', '--batch-size', '10']);
    const checkpoint = `${file}.import-checkpoint.json`;
    for (let i = 0; i < 4800; i++) {
      await sleep(25);
      if (!existsSync(checkpoint)) continue;
      const state = JSON.parse(await readFile(checkpoint, 'utf8').catch(() => '{}'));
      if ((state.counts?.rows ?? 0) >= 40) break;
    }
    run.child.kill('SIGSTOP');
    await sleep(300);
    const before = await checkpointOf(file);
    expect(before.counts.rows).toBeLessThan(total);
    const sent = proxy.submits.length;
    // longer than the proxy's keep-alive (5 s): its idle connections to the importer are closed meanwhile
    await sleep(6000);
    expect(proxy.submits).toHaveLength(sent);
    expect(await checkpointOf(file)).toEqual(before);
    run.child.kill('SIGCONT');
    const result = await run.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${total} rows: ${total} imported, 0 already stored, 0 rejected`));
    expect(proxy.maxOpen).toBeLessThanOrEqual(4);
    const stored = await storedExternalIds(products['STOP-1']!);
    expect(stored).toHaveLength(total);
    expect(new Set(stored).size).toBe(total);
  }, 240_000);
});
