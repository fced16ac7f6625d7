/**
 * Reads that cost the page, not the store: the README product page, a partner page and
 * `reviewsMentioning`, through the gateway, at stores of several sizes around one product kept at
 * 500 reviews. The reference is the first (smallest) store of the same run; each larger store reports
 * its ratio to it. Every store lives at once in databases and a bus namespace of its own, served by a
 * stack of its own on the same servers, and the stores are measured interleaved: in each of `--rounds`
 * rounds every store gets the same block of sequential requests per page, then the same burst at
 * `--clients` clients, one store after another. Load on a shared machine drifts over minutes; measured
 * one store after another, the ratio measured the drift, so the table also gives the per-round ratio's
 * median and range. Per page it also counts the database commands the
 * subgraphs sent (from the server's `serverStatus` command counters) at `first: 10` and `first: 100`.
 * The store is written through the repositories the subgraphs use (reviews with their list entries,
 * analyses, mention sets with theirs), without running the analysis engine, so a large store builds in minutes.
 * With `--baseline REF` the same stores (up to `--baseline-max` reviews: the baseline may scan) are
 * built and measured again with the code of REF, checked out into a temporary folder with its own
 * launcher, in the same run: its stores are interleaved with each other, but after this checkout's.
 * At the largest store it also measures intake (bench/support/intake.ts): `submitReviews` through the
 * gateway in batches of 500 from 1 and 4 clients against the driver's raw `insertMany` of the same
 * documents into the same server, `--intake` reviews per run (0: skip).
 * Usage: npm run bench:reads -- [--sizes 3000,200000] [--requests 40] [--rounds 8] [--clients 20] [--baseline REF] [--baseline-max 20000] [--intake 5000]
 * (sizes: two or more stores, each ≥ 1,500 reviews; a store of 200,000 takes several minutes to build on 2 cores)
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient, type Db } from 'mongodb';
import { startEmbedded } from '../../lib/embedded.js';
import { databaseName, type Database } from '../../lib/mongo.js';
import type { Stack } from '../../lib/stack.js';
import { mentionKeys, type AnalysisDocument } from '../../subgraphs/analysis/src/models/analysis.js';
import type { ReviewDocument } from '../../subgraphs/collection/src/models/review.js';
import { benchInfra } from '../infra.js';
import { startBenchStack } from '../support/bench-stack.js';
import { gql as sendQuery } from '../support/graphql.js';
import { compareIntake, intakeTable, type IntakeRow } from '../support/intake.js';
import { dataCommands } from '../support/server-status.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '3000,200000' },
    requests: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '8' },
    clients: { type: 'string', default: '20' },
    baseline: { type: 'string' },
    'baseline-max': { type: 'string', default: '20000' },
    intake: { type: 'string', default: '5000' },
  },
});
const intakeReviews = Number(values.intake);
if (!Number.isInteger(intakeReviews) || (intakeReviews !== 0 && intakeReviews < 500)) throw new Error('--intake must be 0 or a whole number ≥ 500');
const baselineMax = Number(values['baseline-max']);
const sizes = values.sizes.split(',').map(Number);
const requests = Number(values.requests);
const clients = Number(values.clients);
const rounds = Number(values.rounds);
// the smallest store gives every product at least 20 reviews, so the partner page reads the same in every store
if (sizes.length < 2 || sizes.some((s, i) => !Number.isInteger(s) || s < 1_500 || (i > 0 && s <= sizes[i - 1]!))) throw new Error('--sizes must be two or more increasing whole numbers ≥ 1500');
if (!Number.isInteger(requests) || requests < 5) throw new Error('--requests must be a whole number ≥ 5');
if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients must be a whole number ≥ 1');
if (!Number.isInteger(rounds) || rounds < 2 || rounds > requests) throw new Error('--rounds must be a whole number from 2 to --requests');

const TENANT = 'bench';
const KEY = 'bench-reads-key-0123456789abcdef';
const TARGET_REVIEWS = 500;
/** Products besides the target, fixed so that every store has the same catalogue; the rest of the reviews go round-robin to them. */
const FILLERS = 49;
const TARGET_SKU = 'NP-TRAIL-2';
const prefix = `benchreads${Date.now().toString(36)}`;

const PRODUCT_PAGE = `query($sku: String!, $first: Int) { productBySku(sku: $sku) { name
  insights { reviewCount averageRating sentimentBreakdown { positive neutral negative } }
  reviews(first: $first) { edges { node { rating text analysis { status sentiment { label score } aspects { aspect polarity span { start end text } } } } } }
  reviewsMentioning(aspect: "battery", polarity: NEGATIVE, first: 2) { edges { node { rating text } } } } }`;
const PARTNER_PAGE = `{ products(first: 6) { edges { node { name reviews(first: 20) { edges { node { rating text analysis { sentiment { label } } } } } } } } }`;
const MENTIONING = `query($sku: String!) { productBySku(sku: $sku) { reviewsMentioning(aspect: "battery", polarity: NEGATIVE, first: 20) { edges { node { id rating } } } } }`;

async function gql(stack: Stack, query: string, variables: Record<string, unknown> = {}): Promise<void> {
  await sendQuery(stack.gatewayUrl, KEY, query, variables);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function warmUp(run: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 10; i++) await run();
}

/** `count` sequential requests; their latencies in ms. */
async function timed(run: () => Promise<void>, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

/** `clients` concurrent clients sending `each` requests apiece: how many requests, in how many seconds. */
async function burst(run: () => Promise<void>, each: number): Promise<{ requests: number; seconds: number }> {
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = 0; i < each; i++) await run();
  }));
  return { requests: clients * each, seconds: (performance.now() - started) / 1000 };
}

/** Database commands per request, averaged over 10 requests. */
async function commandsPer(admin: Db, run: () => Promise<void>): Promise<number> {
  await run();
  const before = await dataCommands(admin);
  for (let i = 0; i < 10; i++) await run();
  // less the serverStatus itself, which the server may count as a find of its own: it is not one of DATA_COMMANDS
  return ((await dataCommands(admin)) - before) / 10;
}

/** What the store is written through: the subgraphs' repositories, of this checkout or of the baseline's. */
interface Repos {
  products: { upsertBySku(tenantId: string, fields: { sku: string; name: string; brand: string | null; category: string | null }): Promise<{ _id: string }> };
  reviews: { insertNew(reviews: ReviewDocument[]): Promise<unknown> };
  analyses: { insertFirstResults(docs: AnalysisDocument[]): Promise<unknown> };
  mentions: { addFirst(sets: Array<{ _id: string; tenantId: string; keys: string[]; analyzedAt: Date; revision: number }>): Promise<unknown> };
}
interface Store { repos: Repos; size: number; productIds: string[] }

const ASPECTS = ['battery', 'gps', 'strap', 'screen', 'price'];
function reviewAt(i: number, productId: string): ReviewDocument {
  const createdAt = new Date(Date.parse('2025-01-01T00:00:00Z') + i * 37_000);
  return { _id: `rev_${i.toString(16).padStart(24, '0')}`, tenantId: TENANT, productId, rating: 1 + (i % 5), title: null, text: `Review ${i}: the battery ${i % 3 === 0 ? 'died after a day' : 'lasts for days'} and the GPS is accurate.`, author: null, locale: 'en-US', createdAt, receivedAt: createdAt, source: 'bench', externalId: null };
}
function analysisOf(review: ReviewDocument): AnalysisDocument {
  const i = Number.parseInt(review._id.slice(4), 16);
  const negative = i % 3 === 0;
  const aspects = [ASPECTS[0]!, ASPECTS[1 + (i % 4)]!].map((aspect, k) => ({ aspect, term: aspect, polarity: k === 0 && negative ? 'NEGATIVE' as const : 'POSITIVE' as const, score: 0.5, snippet: aspect, start: 0, end: aspect.length, text: aspect }));
  return {
    _id: review._id, tenantId: TENANT, productId: review.productId, productCategory: 'sport-watch', text: review.text, locale: review.locale, reviewCreatedAt: review.createdAt,
    status: 'DONE', statusReason: null, sentiment: { label: negative ? 'NEGATIVE' : 'POSITIVE', score: negative ? -0.6 : 0.7 }, aspects, language: 'en', languageConfidence: 0.99,
    keyphrases: ['battery'], evidence: [], modelVersion: 'bench', analyzedAt: review.createdAt, revision: 1, previousLabel: null,
  };
}

/** Grows the store to `size` reviews: the target product has the first 500, the rest go round-robin to the other products. */
async function growTo(store: Store, size: number): Promise<void> {
  while (store.productIds.length < 1 + FILLERS) {
    const n = store.productIds.length;
    store.productIds.push((await store.repos.products.upsertBySku(TENANT, { sku: n === 0 ? TARGET_SKU : `FILL-${n}`, name: `Watch ${n}`, brand: 'Bench', category: 'sport-watch' }))._id);
  }
  for (let start = store.size; start < size; start += 1_000) {
    const batch: ReviewDocument[] = [];
    for (let i = start; i < Math.min(size, start + 1_000); i++) batch.push(reviewAt(i, store.productIds[i < TARGET_REVIEWS ? 0 : 1 + (i % FILLERS)]!));
    await store.repos.reviews.insertNew(batch);
    const analyses = batch.map(analysisOf);
    await store.repos.analyses.insertFirstResults(analyses);
    await store.repos.mentions.addFirst(analyses.map((a) => ({ _id: a._id, tenantId: TENANT, keys: mentionKeys(a.productId, a.aspects), analyzedAt: a.analyzedAt!, revision: 1 })));
    process.stdout.write(`\r  store: ${Math.min(size, start + 1_000).toLocaleString('en')} / ${size.toLocaleString('en')} reviews`);
  }
  store.size = size;
  process.stdout.write('\n');
}

/** A median with the smallest and largest value, of the per-round ratios. */
interface Spread { median: number; min: number; max: number }
interface Row { side: string; size: number; name: string; p50: number; p99: number; rps?: number; roundP50Ratio?: Spread; roundRpsRatio?: Spread }
interface CommandRow { side: string; size: number; ten: number; hundred: number }

/** The modules a side runs: this checkout's, or the baseline checkout's (imported from its folder). */
interface Side {
  label: string;
  root: string;
  binaryPath?: string;
}

const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
};

/** One store of a side: its own databases and bus namespace, served by a stack of its own. */
interface SizedStore { size: number; prefix: string; collection: Database; analysis: Database; stack?: Stack }

/**
 * Starts a side's servers, builds one store per size (each in databases of its own), serves every store
 * from a stack of its own at once, and measures them interleaved: `rounds` rounds, each giving every
 * store the same block of requests per page one after another (the order rotating each round), so a
 * change of load on the machine reaches every store alike. Ratios are taken against the side's
 * smallest store, pooled and per round.
 */
async function measureSide(side: Side, sideSizes: number[], rows: Row[], commandRows: CommandRow[]): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(side.root, path)).href);
  const mongo = await load('lib/mongo.ts');
  const [ProductRepo, ReviewRepo, AnalysisRepo, MentionRepo] = await Promise.all([
    load('subgraphs/collection/src/repositories/product-repository.ts').then((m) => m.ProductRepository),
    load('subgraphs/collection/src/repositories/review-repository.ts').then((m) => m.ReviewRepository),
    load('subgraphs/analysis/src/repositories/analysis-repository.ts').then((m) => m.AnalysisRepository),
    load('subgraphs/analysis/src/repositories/mention-repository.ts').then((m) => m.MentionRepository),
  ]);
  const dataDir = resolve(`.data/bench-reads-${side.label.replace(/\W+/g, "-")}-${process.pid}`);
  const embedded = side.binaryPath ? await startEmbedded({ dataDir, binaryPath: side.binaryPath }) : null;
  const infra = embedded ? { mongoUri: embedded.mongoUri, natsUrl: embedded.natsUrl, close: async () => { await embedded.stop(); await rm(dataDir, { recursive: true, force: true }); } } : await benchInfra();
  const admin = new MongoClient(infra.mongoUri);
  await admin.connect();
  const stores: SizedStore[] = [];
  try {
    for (const [i, size] of sideSizes.entries()) {
      const storePrefix = `${prefix}s${i}`;
      const store: SizedStore = { size, prefix: storePrefix, collection: await mongo.connectDatabase(infra.mongoUri, databaseName(storePrefix, 'collection')), analysis: await mongo.connectDatabase(infra.mongoUri, databaseName(storePrefix, 'analysis')) };
      stores.push(store);
      // started on empty databases: a subgraph's start-up (index builds) over a large store outlasts its health check here
      store.stack = await startBenchStack({ mongoUri: infra.mongoUri, natsUrl: infra.natsUrl, prefix: storePrefix, apiKey: KEY, tenantId: TENANT, workers: 0, root: side.root });
      await growTo({ repos: { products: new ProductRepo(store.collection), reviews: new ReviewRepo(store.collection), analyses: new AnalysisRepo(store.analysis), mentions: new MentionRepo(store.analysis) }, size: 0, productIds: [] }, size);
    }
    const pagesOf = (stack: Stack) => ({
      'product page (README query, 10 reviews)': () => gql(stack, PRODUCT_PAGE, { sku: TARGET_SKU, first: 10 }),
      'partner page (products(first: 6), 20 reviews each)': () => gql(stack, PARTNER_PAGE),
      'reviewsMentioning(battery, NEGATIVE, first: 20)': () => gql(stack, MENTIONING, { sku: TARGET_SKU }),
    });
    const pages = stores.map((store) => pagesOf(store.stack!));
    const names = Object.keys(pages[0]!) as Array<keyof (typeof pages)[number]>;
    const withThroughput = names.filter((name) => name.startsWith('product page') || name.startsWith('partner page'));
    const perBlock = Math.ceil(requests / rounds);
    const perClientBurst = Math.ceil(Math.ceil(requests / 4) / rounds);
    // every store in its round's turn: the first store of round r is the r-th
    const turns = (round: number) => stores.map((_, k) => (k + round) % stores.length);
    for (const name of names) for (const [k] of stores.entries()) await warmUp(pages[k]![name]);
    // samples[name][store][round]: latencies (ms); bursts[name][store][round]: { requests, seconds }
    const samples = new Map(names.map((name) => [name, stores.map(() => [] as number[][])]));
    const bursts = new Map(withThroughput.map((name) => [name, stores.map(() => [] as Array<{ requests: number; seconds: number }>)]));
    for (let round = 0; round < rounds; round++) {
      for (const name of names) for (const k of turns(round)) samples.get(name)![k]!.push(await timed(pages[k]![name], perBlock));
      for (const name of withThroughput) for (const k of turns(round)) bursts.get(name)![k]!.push(await burst(pages[k]![name], perClientBurst));
      process.stdout.write(`\r  ${side.label}: round ${round + 1} / ${rounds} (load average ${loadavg()[0]!.toFixed(1)})`);
    }
    process.stdout.write('\n');
    for (const name of names) {
      const p50sOf = (k: number) => samples.get(name)![k]!.map((block) => percentile([...block].sort((a, b) => a - b), 50));
      const rateOf = (b: { requests: number; seconds: number }) => b.requests / b.seconds;
      for (const [k, store] of stores.entries()) {
        const all = samples.get(name)![k]!.flat().sort((a, b) => a - b);
        const p50 = percentile(all, 50);
        const p99 = percentile(all, 99);
        const roundP50Ratio = spread(p50sOf(k).map((v, r) => v / p50sOf(0)[r]!));
        const storeBursts = bursts.get(name)?.[k];
        const rps = storeBursts ? storeBursts.reduce((n, b) => n + b.requests, 0) / storeBursts.reduce((t, b) => t + b.seconds, 0) : undefined;
        const roundRpsRatio = storeBursts ? spread(storeBursts.map((b, r) => rateOf(b) / rateOf(bursts.get(name)![0]![r]!))) : undefined;
        rows.push({ side: side.label, size: store.size, name, p50, p99, rps, roundP50Ratio, roundRpsRatio });
        process.stdout.write(`  ${side.label}, ${store.size.toLocaleString('en')} reviews, ${name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, per-round p50 ratio ${spreadCell(roundP50Ratio)}${rps === undefined ? '' : `, ${rps.toFixed(1)} req/s at ${clients} clients`}\n`);
      }
    }
    // command counts do not drift with load: one store after another
    for (const store of stores) {
      const running = store.stack!;
      const ten = await commandsPer(admin.db('admin'), () => gql(running, PRODUCT_PAGE, { sku: TARGET_SKU, first: 10 }));
      const hundred = await commandsPer(admin.db('admin'), () => gql(running, PRODUCT_PAGE, { sku: TARGET_SKU, first: 100 }));
      commandRows.push({ side: side.label, size: store.size, ten, hundred });
    }
    if (intakeReviews > 0 && !side.binaryPath) {
      // intake on a stack of its own without the analysis worker, beside the stores
      for (const store of stores) {
        await store.stack?.stop();
        store.stack = undefined;
      }
      intakeRows.push(...(await compareIntake(infra, { count: intakeReviews, clientCounts: [1, 4], products: 50 })).rows);
    }
  } finally {
    for (const store of stores) await store.stack?.stop();
    for (const store of stores) {
      for (const owner of ['collection', 'analysis', 'applications']) await admin.db(databaseName(store.prefix, owner)).dropDatabase().catch(() => undefined);
      await Promise.all([store.collection.close(), store.analysis.close()]);
    }
    await admin.close();
    await infra.close();
  }
}

const spreadCell = (s: Spread | undefined) => (s === undefined ? '–' : `${s.median.toFixed(2)} × (${s.min.toFixed(2)}–${s.max.toFixed(2)})`);

/** Checks `ref` out beside this one (sharing node_modules) and builds its launcher; returns the side and how to remove it. */
async function baselineCheckout(ref: string): Promise<{ side: Side; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'reviewgraph-bench-baseline-'));
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const commit = git('rev-parse', '--short', ref);
  git('worktree', 'add', '--detach', root, commit);
  await symlink(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  process.stdout.write(`  baseline ${commit}: building its launcher in ${root}\n`);
  const build = spawnSync(process.execPath, ['scripts/build-embedded.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`baseline launcher build failed: ${build.stderr}`);
  return {
    side: { label: `baseline ${commit}`, root, binaryPath: join(root, 'bin', 'reviewgraph-embedded') },
    async remove() {
      git('worktree', 'remove', '--force', root);
    },
  };
}

const rows: Row[] = [];
const commandRows: CommandRow[] = [];
const intakeRows: IntakeRow[] = [];
const current: Side = { label: 'this checkout', root: repoRoot };
const loadBefore = loadavg();
await measureSide(current, sizes, rows, commandRows);
const baselineSizes = sizes.filter((s) => s <= baselineMax);
if (values.baseline && baselineSizes.length > 0) {
  const checkout = await baselineCheckout(values.baseline);
  try {
    await measureSide(checkout.side, baselineSizes, rows, commandRows);
  } finally {
    await checkout.remove();
  }
}

const base = sizes[0]!;
const flags = `--sizes ${sizes.join(',')} --requests ${requests} --rounds ${rounds} --clients ${clients}${values.baseline ? ` --baseline ${values.baseline} --baseline-max ${baselineMax}` : ''} --intake ${intakeReviews}`;
const loadAfter = loadavg();
const load = (l: number[]) => l.map((n) => n.toFixed(1)).join(' ');
process.stdout.write(`\n\`npm run bench:reads -- ${flags}\` (one product of ${TARGET_REVIEWS} reviews among ${1 + FILLERS} products; stores interleaved over ${rounds} rounds of ${Math.ceil(requests / rounds)} requests per page and a burst of ${clients} × ${Math.ceil(Math.ceil(requests / 4) / rounds)}; ratios against the ${base.toLocaleString('en')}-review store of this checkout, same run; per-round ratios against the smallest store of the same code in the same round, median (min–max); load average ${load(loadBefore)} before, ${load(loadAfter)} after)\n\n`);
process.stdout.write(`| code | read | store | p50 ms | p99 ms | p50 ratio | per-round p50 ratio | req/s at ${clients} clients | req/s ratio | per-round req/s ratio |\n|---|---|---|---|---|---|---|---|---|---|\n`);
for (const row of rows) {
  const baseline = rows.find((r) => r.side === current.label && r.size === base && r.name === row.name)!;
  const rpsCells = row.rps === undefined ? '| – | – | – |' : `| ${row.rps.toFixed(1)} | ${(row.rps / baseline.rps!).toFixed(2)} × | ${spreadCell(row.roundRpsRatio)} |`;
  process.stdout.write(`| ${row.side} | ${row.name} | ${row.size.toLocaleString('en')} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.p50 / baseline.p50).toFixed(2)} × | ${spreadCell(row.roundP50Ratio)} ${rpsCells}\n`);
}
process.stdout.write(`\n| code | store | database commands per product page, reviews(first: 10) | reviews(first: 100) |\n|---|---|---|---|\n`);
for (const row of commandRows) process.stdout.write(`| ${row.side} | ${row.size.toLocaleString('en')} | ${row.ten.toFixed(1)} | ${row.hundred.toFixed(1)} |\n`);
if (intakeRows.length > 0) {
  process.stdout.write(`\nintake beside the ${sizes.at(-1)!.toLocaleString('en')}-review store, ${intakeReviews.toLocaleString('en')} fresh reviews per run, batches of 500 (bench/support/intake.ts; \`npm run bench:ingest\` measures the same on its own)\n\n`);
  process.stdout.write(`${intakeTable(intakeRows)}\n`);
}
