/**
 * Reads that cost the page, not the store: the README product page, a partner page and
 * `reviewsMentioning`, through the gateway of a running stack, while the store grows around one
 * product kept at 500 reviews. The baseline is the first (smallest) store of the same run; each
 * larger store reports its ratio to it. Per page it also counts the database commands the
 * subgraphs sent (from the server's `serverStatus` command counters) at `first: 10` and `first: 100`.
 * The store is written through the repositories the subgraphs use (reviews with their list entries,
 * analyses, mention sets with theirs), without running the analysis engine, so a large store builds in minutes.
 * With `--baseline REF` the same stores (up to `--baseline-max` reviews: the baseline may scan) are
 * built and measured again with the code of REF, checked out into a temporary folder with its own
 * launcher, in the same run.
 * At the largest store it also measures intake (bench/support/intake.ts): `submitReviews` through the
 * gateway in batches of 500 from 1 and 4 clients against the driver's raw `insertMany` of the same
 * documents into the same server, `--intake` reviews per run (0: skip).
 * Usage: npm run bench:reads -- [--sizes 3000,200000] [--requests 40] [--clients 20] [--baseline REF] [--baseline-max 20000] [--intake 5000]
 * (sizes: two or more stores, each ≥ 1,500 reviews; a store of 200,000 takes several minutes to build on 2 cores)
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
// the smallest store gives every product at least 20 reviews, so the partner page reads the same in every store
if (sizes.length < 2 || sizes.some((s, i) => !Number.isInteger(s) || s < 1_500 || (i > 0 && s <= sizes[i - 1]!))) throw new Error('--sizes must be two or more increasing whole numbers ≥ 1500');
if (!Number.isInteger(requests) || requests < 5) throw new Error('--requests must be a whole number ≥ 5');
if (!Number.isInteger(clients) || clients < 1) throw new Error('--clients must be a whole number ≥ 1');

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

/** Sequential latency, p50 and p99 in ms. */
async function latency(run: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 10; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Requests per second with `clients` concurrent clients, each sending a quarter of `requests` requests. */
async function throughput(run: () => Promise<void>): Promise<number> {
  const each = Math.ceil(requests / 4);
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = 0; i < each; i++) await run();
  }));
  return (clients * each) / ((performance.now() - started) / 1000);
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

interface Row { side: string; size: number; name: string; p50: number; p99: number; rps?: number }
interface CommandRow { side: string; size: number; ten: number; hundred: number }

/** The modules a side runs: this checkout's, or the baseline checkout's (imported from its folder). */
interface Side {
  label: string;
  root: string;
  binaryPath?: string;
}

/** Starts a side's servers and stack, grows its store through `sizes`, and measures at each. */
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
  const collection: Database = await mongo.connectDatabase(infra.mongoUri, databaseName(prefix, 'collection'));
  const analysis: Database = await mongo.connectDatabase(infra.mongoUri, databaseName(prefix, 'analysis'));
  let stack: Stack | undefined;
  try {
    const store: Store = { repos: { products: new ProductRepo(collection), reviews: new ReviewRepo(collection), analyses: new AnalysisRepo(analysis), mentions: new MentionRepo(analysis) }, size: 0, productIds: [] };
    stack = await startBenchStack({ mongoUri: infra.mongoUri, natsUrl: infra.natsUrl, prefix, apiKey: KEY, tenantId: TENANT, workers: 1, root: side.root });
    const running = stack;
    const pages = {
      'product page (README query, 10 reviews)': () => gql(running, PRODUCT_PAGE, { sku: TARGET_SKU, first: 10 }),
      'partner page (products(first: 6), 20 reviews each)': () => gql(running, PARTNER_PAGE),
      'reviewsMentioning(battery, NEGATIVE, first: 20)': () => gql(running, MENTIONING, { sku: TARGET_SKU }),
    };
    for (const size of sideSizes) {
      await growTo(store, size);
      for (const [name, run] of Object.entries(pages)) {
        const { p50, p99 } = await latency(run);
        const rps = name.startsWith('product page') || name.startsWith('partner page') ? await throughput(run) : undefined;
        rows.push({ side: side.label, size, name, p50, p99, rps });
        process.stdout.write(`  ${side.label}, ${size.toLocaleString('en')} reviews, ${name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms${rps === undefined ? '' : `, ${rps.toFixed(1)} req/s at ${clients} clients`}\n`);
      }
      const ten = await commandsPer(admin.db('admin'), () => gql(running, PRODUCT_PAGE, { sku: TARGET_SKU, first: 10 }));
      const hundred = await commandsPer(admin.db('admin'), () => gql(running, PRODUCT_PAGE, { sku: TARGET_SKU, first: 100 }));
      commandRows.push({ side: side.label, size, ten, hundred });
    }
    if (intakeReviews > 0 && !side.binaryPath) {
      // intake on a stack of its own without the analysis worker, beside the largest store
      await stack.stop();
      stack = undefined;
      intakeRows.push(...(await compareIntake(infra, { count: intakeReviews, clientCounts: [1, 4], products: 50 })).rows);
    }
  } finally {
    await stack?.stop();
    for (const owner of ['collection', 'analysis', 'applications']) await admin.db(databaseName(prefix, owner)).dropDatabase().catch(() => undefined);
    await Promise.all([collection.close(), analysis.close(), admin.close()]);
    await infra.close();
  }
}

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
const flags = `--sizes ${sizes.join(',')} --requests ${requests} --clients ${clients}${values.baseline ? ` --baseline ${values.baseline} --baseline-max ${baselineMax}` : ''} --intake ${intakeReviews}`;
process.stdout.write(`\n\`npm run bench:reads -- ${flags}\` (one product of ${TARGET_REVIEWS} reviews among ${1 + FILLERS} products; ratios against the ${base.toLocaleString('en')}-review store of this checkout, same run)\n\n`);
process.stdout.write(`| code | read | store | p50 ms | p99 ms | p50 ratio | req/s at ${clients} clients | req/s ratio |\n|---|---|---|---|---|---|---|---|\n`);
for (const row of rows) {
  const baseline = rows.find((r) => r.side === current.label && r.size === base && r.name === row.name)!;
  const rpsCells = row.rps === undefined ? '| – | – |' : `| ${row.rps.toFixed(1)} | ${(row.rps / baseline.rps!).toFixed(2)} × |`;
  process.stdout.write(`| ${row.side} | ${row.name} | ${row.size.toLocaleString('en')} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.p50 / baseline.p50).toFixed(2)} × ${rpsCells}\n`);
}
process.stdout.write(`\n| code | store | database commands per product page, reviews(first: 10) | reviews(first: 100) |\n|---|---|---|---|\n`);
for (const row of commandRows) process.stdout.write(`| ${row.side} | ${row.size.toLocaleString('en')} | ${row.ten.toFixed(1)} | ${row.hundred.toFixed(1)} |\n`);
if (intakeRows.length > 0) {
  process.stdout.write(`\nintake beside the ${sizes.at(-1)!.toLocaleString('en')}-review store, ${intakeReviews.toLocaleString('en')} fresh reviews per run, batches of 500 (bench/support/intake.ts; \`npm run bench:ingest\` measures the same on its own)\n\n`);
  process.stdout.write(`${intakeTable(intakeRows)}\n`);
}
