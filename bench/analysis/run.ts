/**
 * Analysis throughput, all in one run so the ratios compare like with like on a noisy machine:
 *   1. raw NLP rate: the engine alone, in this process, on generated reviews of realistic length;
 *   2. worker pipeline rate (bus → engine → store → review.analyzed) with 1, then 2 worker processes,
 *      measured in steady state (see pipelineRate).
 * Usage: npm run bench:analysis -- [--reviews 3000]
 */
import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus, newEvent } from '../../lib/bus/index.js';
import { startEmbedded } from '../../lib/embedded.js';
import { connectDatabase, databaseName } from '../../lib/mongo.js';
import { reviewTopics } from '../../lib/streams.js';
import { startProcess, stopAll } from '../../lib/supervisor.js';
import { generateReviews } from '../../scripts/demo/catalogue.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';

const { values } = parseArgs({ options: { reviews: { type: 'string', default: '3000' } } });
const count = Number(values.reviews);
if (!Number.isInteger(count) || count < 100) throw new Error('--reviews must be a whole number ≥ 100');

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
process.stdout.write(`analysis benchmark: ${count} reviews, mean ${meanLength} characters\n`);

async function rawRate(): Promise<number> {
  const analyzer = await createAnalyzer();
  for (const text of texts.slice(0, 200)) analyzer.analyze(text, { category: 'sport-watch' });
  const started = performance.now();
  for (const text of texts) analyzer.analyze(text, { category: 'sport-watch' });
  return count / ((performance.now() - started) / 1000);
}

/**
 * Steady-state rate of the worker pipeline: the events wait on the stream before the workers start
 * (so publishing does not compete with them), and the clock runs from the first `review.analyzed`
 * to the last, so process start-up is not counted either.
 */
async function pipelineRate(workers: number, infra: { mongoUri: string; natsUrl: string }): Promise<number> {
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
      procs.push(startProcess({ name: `worker-${i + 1}`, entry: 'subgraphs/analysis/src/worker.ts', env }, (line) => {
        if (line.includes('"level":50') || line.includes('"level":60')) process.stderr.write(`${line}\n`);
      }));
    }
    const deadline = performance.now() + 600_000;
    let first: { at: number; done: number } | null = null;
    let done = 0;
    while ((done = await analyzed()) < count) {
      if (performance.now() > deadline) throw new Error(`only ${done} of ${count} analysed after 10 minutes`);
      if (!first && done > 0) first = { at: performance.now(), done };
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!first) throw new Error('every review was analysed before the first poll: use more --reviews');
    return (count - first.done) / ((performance.now() - first.at) / 1000);
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

const embedded = process.env.MONGODB_URI && process.env.NATS_URL ? null : await startEmbedded({ dataDir: `.data/bench-${process.pid}` });
const infra = embedded ?? { mongoUri: process.env.MONGODB_URI!, natsUrl: process.env.NATS_URL! };
try {
  const raw = await rawRate();
  process.stdout.write(`raw engine: ${raw.toFixed(0)} reviews/s on one core\n`);
  const one = await pipelineRate(1, infra);
  process.stdout.write(`1 worker:   ${one.toFixed(0)} reviews/s\n`);
  const two = await pipelineRate(2, infra);
  process.stdout.write(`2 workers:  ${two.toFixed(0)} reviews/s\n\n`);
  process.stdout.write('| measure | reviews/s | ratio | target |\n|---|---|---|---|\n');
  process.stdout.write(`| raw engine, 1 core (baseline) | ${raw.toFixed(0)} | 1.00 | |\n`);
  process.stdout.write(`| worker pipeline, 1 process | ${one.toFixed(0)} | ${(one / raw).toFixed(2)} of raw | ≥ 0.80 |\n`);
  process.stdout.write(`| worker pipeline, 2 processes | ${two.toFixed(0)} | ${(two / one).toFixed(2)} × 1 process | ≥ 1.5 |\n`);
} finally {
  await embedded?.stop();
  if (embedded) await import('node:fs/promises').then((fs) => fs.rm(`.data/bench-${process.pid}`, { recursive: true, force: true }));
}
