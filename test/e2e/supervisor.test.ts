/**
 * `npm start` as a user runs it: scripts/start.ts as a real child process on its own data folder and
 * ports, with its own embedded launcher; processes are killed from outside with SIGKILL.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/stack.js';
import { generateReviews } from '../../scripts/demo/catalogue.js';
import { eventually } from '../support/fixtures.js';

interface Started {
  child: ChildProcess;
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const dataDir = mkdtempSync(join(tmpdir(), 'rg-supervisor-'));
const started: Started[] = [];
let first: Started;
/** The stack the last tests run against: the first one, until it is killed. */
let current: Started;
let ports: Record<'gateway' | 'collection' | 'analysis' | 'applications', number>;
let gatewayUrl: string;

/** Runs `npm start` (scripts/start.ts) in its own process group, collecting its output lines. */
function npmStart(args: string[], env: Record<string, string>): Started {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...env };
  // Always its own embedded launcher, whatever the test run itself uses.
  delete childEnv.MONGODB_URI;
  delete childEnv.NATS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter((l) => l.trim() !== ''));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const run = { child, lines, exit };
  started.push(run);
  return run;
}

const portEnv = (p: typeof ports) => ({ GATEWAY_PORT: String(p.gateway), COLLECTION_PORT: String(p.collection), ANALYSIS_PORT: String(p.analysis), APPLICATIONS_PORT: String(p.applications) });

/** Waits for an output line matching `pattern` at or after line `from`; returns its index and match. */
async function line(run: Started, pattern: RegExp, timeoutMs: number, from = 0): Promise<{ index: number; match: RegExpMatchArray }> {
  return eventually(async () => {
    for (let i = from; i < run.lines.length; i++) {
      const match = run.lines[i]!.match(pattern);
      if (match) return { index: i, match };
    }
    return undefined;
  }, timeoutMs, `a line matching ${pattern}`);
}

/** The pid in the last pino line of `name` whose msg is `msg`. */
function pidOf(run: Started, name: string, msg: string): number {
  const found = run.lines.filter((l) => l.startsWith(`${name} `) && l.includes(`"msg":"${msg}"`)).at(-1);
  if (!found) throw new Error(`no "${msg}" line from ${name}`);
  return (JSON.parse(found.slice(found.indexOf('{'))) as { pid: number }).pid;
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** pid and command line of each child process of `pid`. */
function childrenOf(pid: number): Array<{ pid: number; args: string }> {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out.split('\n').filter((l) => l.trim()).map((l) => {
    const [p, ...rest] = l.trim().split(/\s+/);
    return { pid: Number(p), args: rest.join(' ') };
  });
}

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string }> } };
}

const SUBMIT = `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`;

async function submit(productId: string, count: number, seed: number): Promise<string[]> {
  const reviews = generateReviews(count * 2, seed).filter((r) => r.locale === 'en-US').slice(0, count);
  const result = await gql(SUBMIT, { r: reviews.map((r) => ({ productId, rating: r.rating, text: r.text, locale: 'en-US' })) });
  expect(result.body.errors).toBeUndefined();
  expect(result.body.data!.submitReviews.rejected).toEqual([]);
  return (result.body.data!.submitReviews.accepted as Array<{ id: string }>).map((a) => a.id);
}

async function newProduct(sku: string): Promise<string> {
  const result = await gql(`mutation($sku: String!) { upsertProducts(input: { products: [{ sku: $sku, name: "Supervised Watch", brand: "Northpeak", category: "sport-watch" }] }) { products { id } } }`, { sku });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.upsertProducts.products[0].id as string;
}

/** Every review id of the product whose analysis is DONE, paging through the graph. */
async function analysedReviewIds(productId: string): Promise<Set<string>> {
  const done = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page = await gql(`query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { id analysis { status } } } pageInfo { hasNextPage endCursor } } } }`, { id: productId, after });
    if (page.body.errors) throw new Error(page.body.errors[0]!.message);
    const reviews = page.body.data!.product.reviews;
    for (const edge of reviews.edges) if (edge.node.analysis?.status === 'DONE') done.add(edge.node.id);
    if (!reviews.pageInfo.hasNextPage) return done;
    after = reviews.pageInfo.endCursor;
  }
}

async function insightsOf(productId: string): Promise<{ reviewCount: number; analyzedCount: number } | null> {
  const result = await gql(`query($id: ID!) { product(id: $id) { insights { reviewCount analyzedCount } } }`, { id: productId });
  return result.body.data?.product?.insights ?? null;
}

/** Asks the graph every 250 ms until stopped; returns each failed answer. */
function probeGraph(productId: string): { stop(): Promise<string[]> } {
  const failures: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = new Date().toISOString();
      try {
        const result = await gql(`query($id: ID!) { product(id: $id) { id name } }`, { id: productId });
        if (result.status !== 200 || result.body.errors || result.body.data?.product?.id !== productId) failures.push(`${at}: ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
      } catch (error) {
        failures.push(`${at}: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return failures;
    },
  };
}

beforeAll(async () => {
  ports = { gateway: await freePort(), collection: await freePort(), analysis: await freePort(), applications: await freePort() };
  gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
  first = npmStart(['--workers', '2', '--data-dir', dataDir], portEnv(ports));
  await line(first, /^reviewgraph is up: /, 240_000);
}, 250_000);

afterAll(async () => {
  for (const run of started) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
    run.child.kill('SIGTERM');
    const stopped = await Promise.race([run.exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
    // Whatever is left of its process group (it was started detached, as its group leader).
    if (!stopped) try { process.kill(-run.child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm start supervises the stack', () => {
  it('restarts an analysis worker killed with SIGKILL while the gateway keeps answering, and analyses every review submitted around the kill', async () => {
    const productId = await newProduct('SUP-WORKER');
    const probe = probeGraph(productId);
    const victim = pidOf(first, 'analysis-worker-1', 'analysis worker ready');
    const survivor = pidOf(first, 'analysis-worker-2', 'analysis worker ready');
    const before = await submit(productId, 200, 1);
    const mark = first.lines.length;
    process.kill(victim, 'SIGKILL');
    const during = await submit(productId, 100, 2);

    const restarted = await line(first, /^reviewgraph: analysis-worker-1 \(pid (\d+)\) (.*); restarting it in ([\d.]+) s/, 20_000, mark);
    expect(Number(restarted.match[1])).toBe(victim);
    expect(restarted.match[2]).toBe('killed by SIGKILL');
    const back = await line(first, /^reviewgraph: analysis-worker-1 is back \(pid (\d+)\)/, 120_000, mark);
    const newPid = Number(back.match[1]);
    expect(newPid).not.toBe(victim);
    expect(isRunning(newPid)).toBe(true);
    expect(pidOf(first, 'analysis-worker-1', 'analysis worker ready')).toBe(newPid);
    const readyLine = first.lines.filter((l) => l.startsWith('analysis-worker-1 ') && l.includes('analysis worker ready')).at(-1)!;
    const { metricsPort } = JSON.parse(readyLine.slice(readyLine.indexOf('{'))) as { metricsPort: number };
    expect((await fetch(`http://127.0.0.1:${metricsPort}/health`)).status).toBe(200);
    const after = await submit(productId, 50, 3);

    const all = new Set([...before, ...during, ...after]);
    expect(all.size).toBe(350);
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === all.size ? true : undefined), 180_000, 'every review counted as analysed');
    expect(await analysedReviewIds(productId)).toEqual(all);
    // Counted once: a batch redelivered after the kill is not counted again.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await insightsOf(productId)).toEqual({ reviewCount: 350, analyzedCount: 350 });

    expect(await probe.stop()).toEqual([]);
    expect(isRunning(survivor)).toBe(true);
    expect(first.lines.filter((l) => l.includes('stopping everything'))).toEqual([]);
  }, 400_000);

  it('restarts a subgraph and the gateway killed with SIGKILL, and the graph answers again', async () => {
    const productId = await newProduct('SUP-SUBGRAPH');
    for (const name of ['collection', 'gateway'] as const) {
      const victim = pidOf(first, name, name === 'gateway' ? 'gateway ready' : 'collection subgraph ready');
      const mark = first.lines.length;
      process.kill(victim, 'SIGKILL');
      const restarted = await line(first, new RegExp(`^reviewgraph: ${name} \\(pid ${victim}\\) killed by SIGKILL; restarting it in`), 20_000, mark);
      expect(restarted.index).toBeGreaterThanOrEqual(mark);
      const back = await line(first, new RegExp(`^reviewgraph: ${name} is back \\(pid (\\d+)\\)`), 90_000, mark);
      expect(Number(back.match[1])).not.toBe(victim);
      const answer = await gql(`query($id: ID!) { product(id: $id) { id name } }`, { id: productId });
      expect(answer.body).toEqual({ data: { product: { id: productId, name: 'Supervised Watch' } } });
    }
    expect(first.child.exitCode).toBeNull();
  }, 240_000);

  it('restarts the embedded launcher killed with SIGKILL on the same ports; the running services reconnect and new reviews are analysed', async () => {
    const endpointsBefore = readFileSync(join(dataDir, 'endpoints.json'), 'utf8');
    const launchers = childrenOf(first.child.pid!).filter((c) => c.args.includes('reviewgraph-embedded'));
    expect(launchers).toHaveLength(1);
    const services = ['collection', 'applications', 'analysis-worker-1', 'analysis-worker-2'];
    const servicePids = services.map((name) => pidOf(first, name, name.startsWith('analysis-worker') ? 'analysis worker ready' : `${name} subgraph ready`));
    const mark = first.lines.length;
    process.kill(launchers[0]!.pid, 'SIGKILL');
    await line(first, new RegExp(`^reviewgraph: embedded launcher \\(pid ${launchers[0]!.pid}\\) killed by SIGKILL; restarting it in`), 20_000, mark);
    const back = await line(first, /^reviewgraph: embedded launcher is back \(pid (\d+)\)/, 90_000, mark);
    expect(childrenOf(first.child.pid!).filter((c) => c.args.includes('reviewgraph-embedded')).map((c) => c.pid)).toEqual([Number(back.match[1])]);
    expect(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')).toBe(endpointsBefore);

    // Database and bus are back for every service: store (collection), analyse (worker), count (applications).
    const productId = await eventually(async () => newProduct('SUP-LAUNCHER').catch(() => undefined), 60_000, 'the graph writing again');
    const ids = new Set(await eventually(async () => submit(productId, 20, 4).catch(() => undefined), 60_000, 'reviews accepted again'));
    await eventually(async () => ((await insightsOf(productId))?.analyzedCount === ids.size ? true : undefined), 120_000, 'the new reviews analysed and counted');
    expect(await analysedReviewIds(productId)).toEqual(ids);
    // The same service processes did it: they reconnected on their own, none was restarted.
    expect(servicePids.filter(isRunning)).toEqual(servicePids);
    expect(first.lines.slice(mark).filter((l) => l.startsWith('reviewgraph: ') && !l.includes('embedded launcher'))).toEqual([]);
    expect(first.lines.filter((l) => l.includes('stopping everything'))).toEqual([]);
  }, 300_000);

  it('refuses a second start on the same data folder with one line naming the running one, leaving it alone', async () => {
    const endpointsBefore = readFileSync(join(dataDir, 'endpoints.json'), 'utf8');
    const launchersBefore = childrenOf(first.child.pid!).filter((c) => c.args.includes('reviewgraph-embedded'));
    const second = npmStart(['--data-dir', dataDir], portEnv(ports));
    const exit = await Promise.race([second.exit, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(exit, 'the second start exits at once').not.toBeNull();
    expect(exit!.code).toBe(1);
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]).toContain(`pid ${first.child.pid}`);
    expect(second.lines[0]).toContain(gatewayUrl);
    expect(second.lines[0]).toContain(dataDir);
    expect(second.lines.join('\n')).not.toContain('is up');
    expect(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')).toBe(endpointsBefore);
    expect(childrenOf(first.child.pid!).filter((c) => c.args.includes('reviewgraph-embedded'))).toEqual(launchersBefore);
    expect((await gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  }, 60_000);

  it('takes over a stale lock (its process is gone) and refuses a busy port before starting anything', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'rg-supervisor-stale-'));
    const blocker: Server = createServer();
    try {
      // The lock of a start that was killed with SIGKILL: its pid no longer runs.
      const dead = spawn(process.execPath, ['-e', '']);
      await new Promise((r) => dead.once('close', r));
      writeFileSync(join(otherDir, 'reviewgraph.lock'), JSON.stringify({ pid: dead.pid, processStart: null, startedAt: '2026-01-01T00:00:00.000Z', gatewayUrl: 'http://127.0.0.1:1/graphql', ports: {} }));
      const otherPorts = { gateway: await freePort(), collection: await freePort(), analysis: await freePort(), applications: await freePort() };
      await new Promise<void>((r) => blocker.listen(otherPorts.collection, '127.0.0.1', () => r()));
      const run = npmStart(['--data-dir', otherDir], portEnv(otherPorts));
      const exit = await Promise.race([run.exit, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
      expect(exit, 'the start exits at once').not.toBeNull();
      expect(exit!.code).toBe(1);
      expect(run.lines.join('\n')).not.toContain('already running');
      expect(run.lines.find((l) => l.includes(`port ${otherPorts.collection} (collection) is already in use`))).toBeDefined();
      expect(run.lines.join('\n')).not.toContain('embedded FerretDB');
      expect(existsSync(join(otherDir, 'endpoints.json'))).toBe(false);
      expect(existsSync(join(otherDir, 'reviewgraph.lock')), 'the lock is released').toBe(false);
    } finally {
      blocker.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('leaves nothing running when npm start itself is killed with SIGKILL, and a new start on the same folder takes over its stale lock', async () => {
    const family = childrenOf(first.child.pid!).map((c) => c.pid);
    expect(family.length).toBeGreaterThanOrEqual(7);
    process.kill(first.child.pid!, 'SIGKILL');
    expect(await Promise.race([first.exit, new Promise<null>((r) => setTimeout(() => r(null), 10_000))])).toEqual({ code: null, signal: 'SIGKILL' });
    await eventually(async () => (family.filter(isRunning).length === 0 ? true : undefined), 30_000, 'every process of the killed stack gone');
    const stale = JSON.parse(readFileSync(join(dataDir, 'reviewgraph.lock'), 'utf8')) as { pid: number };
    expect(stale.pid).toBe(first.child.pid);

    current = npmStart(['--workers', '1', '--data-dir', dataDir], portEnv(ports));
    await line(current, /^reviewgraph is up: /, 240_000);
    expect((JSON.parse(readFileSync(join(dataDir, 'reviewgraph.lock'), 'utf8')) as { pid: number }).pid).toBe(current.child.pid);
    // Same data folder: what the first stack stored is served by the second.
    const answer = await gql(`{ productBySku(sku: "SUP-WORKER") { insights { reviewCount analyzedCount } } }`);
    expect(answer.body).toEqual({ data: { productBySku: { insights: { reviewCount: 350, analyzedCount: 350 } } } });
  }, 300_000);

  it('stops everything on Ctrl-C (SIGINT to the whole process group) without restarting anything, and frees the data folder', async () => {
    const family = childrenOf(current.child.pid!).map((c) => c.pid);
    const mark = current.lines.length;
    process.kill(-current.child.pid!, 'SIGINT');
    const exit = await Promise.race([current.exit, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
    expect(exit?.code).toBe(0);
    expect(current.lines.slice(mark).filter((l) => l.startsWith('reviewgraph: '))).toEqual(['reviewgraph: stopping…', 'reviewgraph: stopped']);
    expect(family.filter(isRunning)).toEqual([]);
    expect(existsSync(join(dataDir, 'reviewgraph.lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'endpoints.json'))).toBe(false);

    current = npmStart(['--workers', '1', '--data-dir', dataDir], portEnv(ports));
    await line(current, /^reviewgraph is up: /, 240_000);
  }, 300_000);

  it('stops everything with one clear line when a process crash-loops', async () => {
    const startPid = current.child.pid!;
    const family = childrenOf(startPid).map((c) => c.pid);
    expect(family.length).toBeGreaterThanOrEqual(6);
    const mark = current.lines.length;
    // Kill every gateway incarnation as soon as it appears: a crash loop.
    const deadline = Date.now() + 120_000;
    while (current.child.exitCode === null && Date.now() < deadline) {
      for (const c of childrenOf(startPid)) if (c.args.includes('gateway/src/index.ts')) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const exit = await Promise.race([current.exit, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(exit?.code).toBe(1);
    const said = current.lines.slice(mark).filter((l) => l.startsWith('reviewgraph: '));
    const verdict = said.filter((l) => l.includes('stopping everything'));
    expect(verdict).toHaveLength(1);
    expect(verdict[0]).toMatch(/^reviewgraph: gateway .*5 crashes within 60 s, giving up; stopping everything$/);
    expect(said.at(-1)).toBe('reviewgraph: stopped');
    expect(family.filter(isRunning), 'no process of the stack is left').toEqual([]);
    expect(existsSync(join(dataDir, 'reviewgraph.lock'))).toBe(false);
  }, 180_000);

  it('stops everything with one clear line when the killed launcher cannot come back (its port is taken)', async () => {
    current = npmStart(['--workers', '1', '--data-dir', dataDir], portEnv(ports));
    await line(current, /^reviewgraph is up: /, 240_000);
    const family = childrenOf(current.child.pid!).map((c) => c.pid);
    const launcher = childrenOf(current.child.pid!).find((c) => c.args.includes('reviewgraph-embedded'))!;
    const mongoPort = Number(new URL((JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as { mongoUri: string }).mongoUri).port);
    const mark = current.lines.length;
    process.kill(launcher.pid, 'SIGKILL');
    // Take the launcher's database port in the half second before its restart.
    const squatter: Server = createServer();
    const deadline = Date.now() + 400;
    while (!(await new Promise<boolean>((r) => { squatter.once('error', () => r(false)); squatter.listen(mongoPort, '127.0.0.1', () => r(true)); }))) {
      if (Date.now() > deadline) throw new Error(`port ${mongoPort} not free after the kill`);
      await new Promise((r) => setTimeout(r, 10));
    }
    try {
      const exit = await Promise.race([current.exit, new Promise<null>((r) => setTimeout(() => r(null), 120_000))]);
      expect(exit?.code).toBe(1);
    } finally {
      squatter.close();
    }
    const verdict = current.lines.slice(mark).filter((l) => l.includes('stopping everything'));
    expect(verdict).toHaveLength(1);
    expect(verdict[0]).toMatch(new RegExp(`^reviewgraph: embedded launcher failed to restart: .*port 127\\.0\\.0\\.1:${mongoPort} is already in use; that is 5 crashes within 60 s, giving up; stopping everything$`));
    expect(family.filter(isRunning), 'no process of the stack is left').toEqual([]);
  }, 400_000);
});
