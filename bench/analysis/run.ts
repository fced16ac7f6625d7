/**
 * Analysis throughput, all in one run so the ratios compare like with like on a noisy machine:
 *   1. raw NLP rate: the engine alone, in this process, on generated reviews of realistic length;
 *   2. worker pipeline rate (bus → engine → store → review.analyzed) with 1, then 2 worker processes,
 *      measured in steady state (see pipelineRate).
 * The three are measured back to back in each of several rounds, and every round gives its own
 * ratios: the speed of a shared machine drifts over minutes, so only measurements taken close
 * together compare. The summary is the median of the rounds' ratios.
 * With --baseline REV, the raw engine of commit REV (checked out beside this tree with `git worktree`) and that of
 * this tree are loaded in two processes of their own (engine-rate.ts), one after the other, with their start-up
 * timed against a worker's budget; after a warm-up that is not measured, the rounds interleave them (the order
 * alternating), each analysing every text once, and the summary is the median ratio with its range, of the rates
 * by the clock and of the rates per CPU second (which a loaded machine's scheduling moves much less).
 * --same-outputs N first compares both trees' results on N varied calls; --engine-only skips the worker pipeline.
 * Usage: npm run bench:analysis -- [--reviews 3000] [--rounds 3] [--baseline REV [--same-outputs N]] [--engine-only]
 */
import { readFileSync, writeFileSync, existsSync, symlinkSync, mkdtempSync } from 'node:fs';
import { execFileSync, fork } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchInfra } from '../infra.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus, newEvent } from '../../lib/bus/index.js';
import { connectDatabase, databaseName } from '../../lib/mongo.js';
import { reviewTopics } from '../../lib/streams.js';
import { startProcess, stopAll } from '../../lib/supervisor.js';
import { SUBGRAPH_HEALTHY_MS, analysisWorkerSpec } from '../../lib/stack.js';
import { generateReviews } from '../../scripts/demo/catalogue.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import type { EngineReady, EngineRequest, OutputCase } from './engine-rate.js';

const { values } = parseArgs({ options: { reviews: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '3' }, baseline: { type: 'string' }, 'engine-only': { type: 'boolean', default: false }, 'same-outputs': { type: 'string', default: '0' } } });
const count = Number(values.reviews);
const rounds = Number(values.rounds);
if (!Number.isInteger(count) || count < 100) throw new Error('--reviews must be a whole number ≥ 100');
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('--rounds must be a whole number from 1 to 20');

/** Reviews of 200–700 characters: several generated reviews joined. */
function realisticTexts(n: number): string[] {
  const parts = generateReviews(n * 4, 7).filter((r) => r.locale === 'en-US').map((r) => r.text);
  const texts: string[] = [];
  for (let i = 0; texts.length < n; i++) {
    let text = parts[i % parts.length]!;
    for (let j = 1; text.length < 200 + (i % 5) * 100; j++) text += ` ${parts[(i + j * 7) % parts.length]}`;
    texts.push(text);
  }
  return texts;
}

const texts = realisticTexts(count);
const meanLength = Math.round(texts.reduce((sum, t) => sum + t.length, 0) / texts.length);
process.stdout.write(`analysis benchmark: ${count} reviews, mean ${meanLength} characters, ${rounds} rounds\n`);

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** A detached work tree of `rev` beside this one (sharing node_modules), removed by the returned function. */
function checkoutBeside(rev: string): { tree: string; remove: () => void } {
  const tree = join(mkdtempSync(join(tmpdir(), 'rg-bench-')), 'baseline');
  execFileSync('git', ['worktree', 'add', '--detach', tree, rev], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(join(tree, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  return { tree, remove: () => execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT, stdio: 'ignore' }) };
}

/** The raw engine of `tree` in a process of its own (engine-rate.ts), with a worker's node flags, loaded and ready for requests. */
async function startEngine(tree: string, textsFile: string): Promise<{ ready: EngineReady; ask: <T>(req: EngineRequest) => Promise<T>; stop: () => void }> {
  const workerFlags = analysisWorkerSpec('bench-engine', {}).nodeFlags ?? [];
  const child = fork(join(ROOT, 'bench/analysis/engine-rate.ts'), [tree, textsFile], { cwd: ROOT, execArgv: ['--import', 'tsx', ...workerFlags], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const replies: Array<(msg: unknown) => void> = [];
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the engine of ${tree} exited (code ${code})`))));
  exited.catch(() => undefined);
  child.on('message', (msg) => replies.shift()?.(msg));
  const next = <T>() => Promise.race([new Promise<T>((r) => replies.push(r as (msg: unknown) => void)), exited]);
  const ready = await next<EngineReady>();
  return {
    ready,
    ask: <T>(req: EngineRequest) => { const reply = next<T>(); child.send(req); return reply; },
    stop: () => { child.removeAllListeners('exit'); child.kill(); },
  };
}

/** Varied calls for the output comparison: the bench's texts whole, cut to their first sentence or two, in capitals, under several categories and locales. */
function outputCases(n: number): OutputCase[] {
  const categories = ['sport-watch', 'laptop', 'restaurant', null, 'headphones'];
  const locales = ['en-US', null, 'en', 'de-DE'];
  return texts.slice(0, n).map((text, i) => {
    const sentences = text.split(/(?<=[.!?])\s+/);
    const variant = i % 4 === 1 ? sentences[0]! : i % 4 === 2 ? sentences.slice(0, 2).join(' ').toUpperCase() : text;
    return { text: variant, category: categories[i % categories.length]!, locale: locales[Math.floor(i / 5) % locales.length]! };
  });
}

/** Path of the first difference between two JSON values, or null when they are the same. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (a === b) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return `${path || '.'}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };
const load = () => loadavg().map((x) => x.toFixed(1)).join(' / ');

if (values.baseline) {
  const base = checkoutBeside(values.baseline);
  const textsFile = join(base.tree, '..', 'texts.json');
  writeFileSync(textsFile, JSON.stringify(texts));
  const engines: Array<Awaited<ReturnType<typeof startEngine>>> = [];
  try {
    process.stdout.write(`load average (1 / 5 / 15 min) at the start: ${load()} on ${availableParallelism()} cores\n`);
    // one after the other, so neither start-up competes with the other's
    const current = await startEngine(ROOT, textsFile);
    engines.push(current);
    const baseline = await startEngine(base.tree, textsFile);
    engines.push(baseline);
    const budget = `${SUBGRAPH_HEALTHY_MS / 1000} s`;
    process.stdout.write(`\nstart-up of a worker's engine (budget: a worker must answer its health check within ${budget} of its start, SUBGRAPH_HEALTHY_MS in lib/stack.ts):\n`);
    for (const [name, e] of [['this tree', current], [`baseline ${values.baseline}`, baseline]] as const) {
      const { importMs, loadMs, warmUpMs, modelVersion } = e.ready;
      const total = importMs + loadMs + (warmUpMs ?? 0);
      process.stdout.write(`  ${name} (${modelVersion}): import ${(importMs / 1000).toFixed(1)} s + model load ${(loadMs / 1000).toFixed(1)} s + warm-up ${warmUpMs === null ? 'none' : `${(warmUpMs / 1000).toFixed(1)} s`} = ${(total / 1000).toFixed(1)} s (${((100 * total) / SUBGRAPH_HEALTHY_MS).toFixed(0)} % of the budget)\n`);
    }
    const sameOutputs = Number(values['same-outputs']);
    if (sameOutputs > 0) {
      const cases = outputCases(sameOutputs);
      const [a, b] = await Promise.all([current.ask<{ outputs: unknown[] }>({ cmd: 'outputs', cases }), baseline.ask<{ outputs: unknown[] }>({ cmd: 'outputs', cases })]);
      const diffs = cases.map((_, i) => firstDifference(a.outputs[i], b.outputs[i])).map((d, i) => (d ? `case ${i}: ${d}` : null)).filter((d) => d !== null);
      process.stdout.write(`\noutputs: ${cases.length - diffs.length} of ${cases.length} calls give the same result in both trees${diffs.length ? `; first difference: ${diffs[0]}` : ''}\n`);
    }
    // warm-up beyond the worker's own, not measured: both engines optimised before the first round
    for (const e of engines) await e.ask({ cmd: 'warm', ms: 3_000 });
    const ratios: number[] = [], cpuRatios: number[] = [];
    process.stdout.write(`\n| round | this tree, reviews/s (per CPU s) | baseline ${values.baseline}, reviews/s (per CPU s) | ratio (of CPU rates) |\n|---|---|---|---|\n`);
    for (let round = 1; round <= rounds; round++) {
      // alternate which goes first, so neither side always runs on a warmer (or more loaded) machine
      const order = round % 2 ? [current, baseline] : [baseline, current];
      const rates = new Map<typeof current, { rate: number; cpuRate: number }>();
      for (const e of order) rates.set(e, await e.ask<{ rate: number; cpuRate: number }>({ cmd: 'round' }));
      const a = rates.get(current)!, b = rates.get(baseline)!;
      ratios.push(a.rate / b.rate);
      cpuRatios.push(a.cpuRate / b.cpuRate);
      process.stdout.write(`| ${round} | ${a.rate.toFixed(0)} (${a.cpuRate.toFixed(0)}) | ${b.rate.toFixed(0)} (${b.cpuRate.toFixed(0)}) | ${ratios.at(-1)!.toFixed(2)} (${cpuRatios.at(-1)!.toFixed(2)}) |\n`);
    }
    const summary = (xs: number[]) => `**${median(xs).toFixed(2)}** (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
    process.stdout.write(`| median (range) | | | ${summary(ratios)}; of CPU rates ${summary(cpuRatios)}; target ≥ 0.80 |\n\n`);
    process.stdout.write(`load average at the end: ${load()}\n`);
  } finally {
    for (const e of engines) e.stop();
    base.remove();
  }
  if (values['engine-only']) process.exit(0);
}

const analyzer = await createAnalyzer();
for (const text of texts.slice(0, 200)) analyzer.analyze(text, { category: 'sport-watch' });

function rawRate(): number {
  const started = performance.now();
  for (const text of texts) analyzer.analyze(text, { category: 'sport-watch' });
  return count / ((performance.now() - started) / 1000);
}

/** CPU seconds a process has used so far (Linux /proc; null elsewhere). */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface PipelineResult {
  rate: number;
  /** CPU milliseconds per review spent by the worker processes, and by the embedded database + bus. */
  workerCpuMs: number | null;
  infraCpuMs: number | null;
}

/**
 * Steady-state rate of the worker pipeline: the events wait on the stream before the workers start
 * (so publishing does not compete with them), and the clock runs while the workers take the middle
 * of the queue, from 10 % of the reviews analysed to 90 %: neither process start-up nor the tail,
 * where one worker may finish the last batches it prefetched while the other has none left, counts.
 */
async function pipelineRate(workers: number, infra: { mongoUri: string; natsUrl: string; pid?: number }): Promise<PipelineResult> {
  const name = `bench_${workers}w_${Date.now().toString(36)}`;
  const topics = reviewTopics(name);
  const bus = await connectBus({ natsUrl: infra.natsUrl, name: 'bench', streams: [topics.stream] });
  const env = { MONGODB_URI: infra.mongoUri, NATS_URL: infra.natsUrl, DB_PREFIX: name, BUS_NAMESPACE: name, LOG_LEVEL: 'info' };
  const procs: ReturnType<typeof startProcess>[] = [];
  try {
    const events = texts.map((text, i) => ({
      subject: topics.submitted,
      event: newEvent('review.submitted', 'bench', { reviewId: `rev_${i.toString(16).padStart(24, '0')}`, productId: 'prd_bench', productCategory: 'sport-watch', text, locale: 'en-US', createdAt: new Date().toISOString() }),
    }));
    const published = await bus.publishMany(events);
    if (published.failed.length > 0) throw new Error(`${published.failed.length} events not published: ${published.failed[0]!.error}`);
    const jsm = await jetstreamManager(bus.connection);
    const analyzed = async () => (await jsm.streams.info(topics.stream.name, { subjects_filter: topics.analyzed })).state.subjects?.[topics.analyzed] ?? 0;
    for (let i = 0; i < workers; i++) {
      procs.push(startProcess(analysisWorkerSpec(`worker-${i + 1}`, env), (line) => {
        if (line.includes('"level":50') || line.includes('"level":60')) process.stderr.write(`${line}\n`);
      }));
    }
    const deadline = performance.now() + 600_000;
    const cpuOf = () => {
      const parts = [...procs.map((p) => cpuSeconds(p.child.pid)), cpuSeconds(infra.pid)];
      return { workers: parts.slice(0, -1).every((x) => x !== null) ? parts.slice(0, -1).reduce((a, b) => a! + b!, 0)! : null, infra: parts.at(-1)! };
    };
    type Mark = { at: number; done: number; cpu: ReturnType<typeof cpuOf> };
    let from: Mark | null = null;
    let to: Mark | null = null;
    let done = 0;
    while ((done = await analyzed()) < count) {
      if (performance.now() > deadline) throw new Error(`only ${done} of ${count} analysed after 10 minutes`);
      if (!from && done >= count * 0.1) from = { at: performance.now(), done, cpu: cpuOf() };
      else if (from && !to && done >= count * 0.9) to = { at: performance.now(), done, cpu: cpuOf() };
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!from || !to || to.done - from.done < count * 0.5) throw new Error('the workers went through the queue faster than the clock could follow: use more --reviews');
    const reviews = to.done - from.done;
    const perReview = (a: number | null, b: number | null) => (a === null || b === null ? null : ((a - b) * 1000) / reviews);
    return { rate: reviews / ((to.at - from.at) / 1000), workerCpuMs: perReview(to.cpu.workers, from.cpu.workers), infraCpuMs: perReview(to.cpu.infra, from.cpu.infra) };
  } finally {
    await stopAll(procs);
    const jsm = await jetstreamManager(bus.connection);
    for (const stream of [topics.stream.name, `${topics.stream.name}_DLQ`]) await jsm.streams.delete(stream).catch(() => undefined);
    const database = await connectDatabase(infra.mongoUri, databaseName(name, 'analysis'));
    await database.db.dropDatabase();
    await database.close();
    await bus.close();
  }
}

const cores = availableParallelism();
const infra = await benchInfra();
try {
  const results: Array<{ raw: number; one: number; two: number }> = [];
  for (let round = 1; round <= rounds; round++) {
    const raw = rawRate();
    const p1 = await pipelineRate(1, infra);
    const p2 = await pipelineRate(2, infra);
    const one = p1.rate, two = p2.rate;
    results.push({ raw, one, two });
    const cpu = (p: PipelineResult) => (p.workerCpuMs === null ? '' : `; CPU per review: workers ${p.workerCpuMs.toFixed(2)} ms, database + bus ${p.infraCpuMs?.toFixed(2) ?? '?'} ms`);
    process.stdout.write(`round ${round}: raw engine ${raw.toFixed(0)} reviews/s on one core (${(1000 / raw).toFixed(2)} ms per review)\n`);
    process.stdout.write(`  1 worker  ${one.toFixed(0)} reviews/s (${(one / raw).toFixed(2)} of raw)${cpu(p1)}\n`);
    process.stdout.write(`  2 workers ${two.toFixed(0)} reviews/s (${(two / one).toFixed(2)} × 1 worker)${cpu(p2)}\n`);
    if (p2.workerCpuMs !== null && p2.infraCpuMs !== null) {
      // One worker is bound by its own core; two share the machine's cores with the database and the bus.
      const ceiling = Math.min(2, (cores * 1000) / (p2.workerCpuMs + p2.infraCpuMs) / one);
      process.stdout.write(`  the CPU these ${cores} cores have bounds 2 workers at ${ceiling.toFixed(2)} × 1 worker\n`);
    }
  }
  process.stdout.write('\n| round | raw engine, reviews/s on 1 core (= 1.00) | 1 worker, reviews/s (of raw) | 2 workers, reviews/s (× 1 worker) |\n|---|---|---|---|\n');
  results.forEach(({ raw, one, two }, i) => process.stdout.write(`| ${i + 1} | ${raw.toFixed(0)} | ${one.toFixed(0)} (${(one / raw).toFixed(2)}) | ${two.toFixed(0)} (${(two / one).toFixed(2)} ×) |\n`));
  const oneRatio = median(results.map((r) => r.one / r.raw));
  const twoRatio = median(results.map((r) => r.two / r.one));
  process.stdout.write(`| median | | ${oneRatio.toFixed(2)} of raw (target ≥ 0.80) | ${twoRatio.toFixed(2)} × (target ≥ 1.5) |\n`);
} finally {
  await infra.close();
}
