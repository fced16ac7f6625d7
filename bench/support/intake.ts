import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { databaseName, insertManyIgnoringDuplicates } from '../../lib/mongo.js';
import type { Stack } from '../../lib/stack.js';
import { reviewTopics } from '../../lib/streams.js';
import { ANALYSIS_CONSUMER } from '../../subgraphs/analysis/src/services/analysis-consumer.js';
import type { ReviewDocument } from '../../subgraphs/collection/src/models/review.js';
import { startBenchStack } from './bench-stack.js';
import { waitForConsumersIdle } from './bus-idle.js';
import { generatedReview, storedReview, type GeneratedReviewInput } from './generated-reviews.js';
import { gql } from './graphql.js';
import { measureImportCli, type ImportRun } from './import-cli.js';
import { processCpuMs } from './process-cpu.js';
import { commandCounts, commandsBetween } from './server-status.js';

export const INTAKE_BATCH = 500;

const SUBMIT = `mutation($input: SubmitReviewsInput!) { submitReviews(input: $input) { accepted { id } rejected { index code message } } }`;
const UPSERT_PRODUCTS = `mutation($input: UpsertProductsInput!) { upsertProducts(input: $input) { products { id } rejected { index message } } }`;

/** Creates `count` products through the gateway; returns their ids. */
export async function createProducts(gatewayUrl: string, apiKey: string, count: number, skuPrefix = 'BENCH'): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const products = Array.from({ length: Math.min(500, count - start) }, (_, k) => ({ sku: `${skuPrefix}-${start + k}`, name: `Bench watch ${start + k}`, brand: 'Bench', category: 'sport-watch' }));
    const data = await gql<{ upsertProducts: { products: Array<{ id: string }>; rejected: unknown[] } }>(gatewayUrl, apiKey, UPSERT_PRODUCTS, { input: { products } });
    if (data.upsertProducts.rejected.length > 0) throw new Error(`products rejected: ${JSON.stringify(data.upsertProducts.rejected).slice(0, 300)}`);
    ids.push(...data.upsertProducts.products.map((p) => p.id));
  }
  return ids;
}

/** Runs `work(batchIndex)` for batches 0..batches-1 from `clients` concurrent loops; returns the seconds it took. */
async function timedBatches(batches: number, clients: number, work: (batch: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(clients, batches) }, async () => {
    while (next < batches) await work(next++);
  }));
  return (performance.now() - started) / 1000;
}

export interface IntakeRun {
  /** Tells the runs of one benchmark apart: it prefixes every generated review's externalId. */
  run: string;
  count: number;
  clients: number;
  productIds: readonly string[];
}

/** Reviews/s of `submitReviews` through the gateway, in batches of 500 from `clients` clients; every review must be accepted. */
export async function measureSubmitReviews(gatewayUrl: string, apiKey: string, opts: IntakeRun): Promise<number> {
  const batches = Math.ceil(opts.count / INTAKE_BATCH);
  const seconds = await timedBatches(batches, opts.clients, async (batch) => {
    const reviews: GeneratedReviewInput[] = [];
    for (let i = batch * INTAKE_BATCH; i < Math.min(opts.count, (batch + 1) * INTAKE_BATCH); i++) reviews.push(generatedReview(opts.run, i, opts.productIds));
    const data = await gql<{ submitReviews: { accepted: unknown[]; rejected: unknown[] } }>(gatewayUrl, apiKey, SUBMIT, { input: { reviews } });
    if (data.submitReviews.rejected.length > 0) throw new Error(`reviews rejected: ${JSON.stringify(data.submitReviews.rejected).slice(0, 300)}`);
  });
  return opts.count / seconds;
}

/**
 * Reviews/s of the driver's `insertMany` (unordered, batches of 500, from `clients` concurrent
 * loops) of the documents the collection subgraph would store for the same generated reviews.
 */
export async function measureRawInsert(collection: Collection<ReviewDocument>, tenantId: string, opts: IntakeRun): Promise<number> {
  const batches = Math.ceil(opts.count / INTAKE_BATCH);
  const seconds = await timedBatches(batches, opts.clients, async (batch) => {
    const now = new Date();
    const docs: ReviewDocument[] = [];
    for (let i = batch * INTAKE_BATCH; i < Math.min(opts.count, (batch + 1) * INTAKE_BATCH); i++) docs.push(storedReview(tenantId, generatedReview(opts.run, i, opts.productIds), now));
    await insertManyIgnoringDuplicates(collection, docs);
  });
  return opts.count / seconds;
}

/**
 * The documents the intake stored in `db` since the last call (every collection but those it only
 * reads), remembered by `_id` in `seen`: what raw `insertMany` has to write to store the same as
 * the intake, a review's derived documents (list entries, change-feed entry, moderation claims,
 * outbox entries) included.
 */
async function documentsStoredSince(db: Db, seen: Map<string, Set<unknown>>): Promise<Map<string, Document[]>> {
  const fresh = new Map<string, Document[]>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (['products', 'sources'].includes(name)) continue;
    const known = seen.get(name) ?? new Set<unknown>();
    seen.set(name, known);
    const docs: Document[] = [];
    for await (const doc of db.collection(name).find({})) {
      if (known.has(doc._id)) continue;
      known.add(doc._id);
      docs.push(doc);
    }
    if (docs.length > 0) fresh.set(name, docs);
  }
  return fresh;
}

/**
 * Reviews/s of raw `insertMany` (unordered, 500 documents per call, from `clients` concurrent loops)
 * of every document an intake run stored, each into a collection of the same name under `into`;
 * `reviews` is how many reviews they hold.
 */
async function measureRawInsertOfAll(into: Db, docsByCollection: Map<string, Document[]>, reviews: number, clients: number, run: string): Promise<number> {
  const batches: Array<{ collection: Collection; docs: Document[] }> = [];
  for (const [name, docs] of docsByCollection) {
    const collection = into.collection(`${run}_${name}`);
    for (let i = 0; i < docs.length; i += INTAKE_BATCH) batches.push({ collection, docs: docs.slice(i, i + INTAKE_BATCH) });
  }
  const seconds = await timedBatches(batches.length, clients, async (batch) => {
    await insertManyIgnoringDuplicates(batches[batch]!.collection, batches[batch]!.docs);
  });
  return reviews / seconds;
}

export interface IntakeRow {
  clients: number;
  /** Reviews/s of the raw `insertMany` baseline (the review documents) from as many clients. */
  raw: number;
  /** Reviews/s of raw `insertMany` of every document the intake stored for its reviews, from as many clients. */
  rawAll: number;
  /** Documents the intake stored per review. */
  documentsPerReview: number;
  /** Reviews/s of `submitReviews` through the gateway. */
  intake: number;
  /** Database commands per `submitReviews` batch, by command (the consumers' commands included). */
  commandsPerBatch: Record<string, number>;
  /** CPU ms per review of the embedded database + bus process during each run, when the benchmark started it. */
  serverCpuPerReview: { raw: number; intake: number } | null;
}

/**
 * Starts a stack of its own (no analysis worker; the applications process counts events as they
 * arrive) on the given servers and, for each client count, measures the raw `insertMany` baseline
 * and then `submitReviews` on `count` fresh generated reviews each, waiting for the consumers between
 * runs. Drops what it wrote.
 */
export async function compareIntake(servers: { mongoUri: string; natsUrl: string; pid?: number }, opts: { count: number; clientCounts: number[]; products: number; importRows?: number[]; write?: (line: string) => void }): Promise<{ rows: IntakeRow[]; imports: ImportRun[] }> {
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const prefix = `benchintake${Date.now().toString(36)}`;
  const key = `bench-intake-key-${prefix}`;
  const tenantId = 'bench';
  const admin = new MongoClient(servers.mongoUri);
  await admin.connect();
  let stack: Stack | undefined;
  const rows: IntakeRow[] = [];
  const imports: ImportRun[] = [];
  try {
    stack = await startBenchStack({ ...servers, prefix, apiKey: key, tenantId });
    const productIds = await createProducts(stack.gatewayUrl, key, opts.products);
    const raw = admin.db(databaseName(prefix, 'raw')).collection<ReviewDocument>('reviews');
    const rawAll = admin.db(databaseName(prefix, 'rawall'));
    const collectionDb = admin.db(databaseName(prefix, 'collection'));
    const seen = new Map<string, Set<unknown>>();
    await documentsStoredSince(collectionDb, seen);
    const stream = reviewTopics(prefix).stream.name;
    const batches = Math.ceil(opts.count / INTAKE_BATCH);
    for (const clients of opts.clientCounts) {
      const cpu0 = processCpuMs(servers.pid);
      const rawRate = await measureRawInsert(raw, tenantId, { run: `raw${clients}`, count: opts.count, clients, productIds });
      const cpu1 = processCpuMs(servers.pid);
      write(`  raw insertMany, ${clients} client(s): ${rawRate.toFixed(0)} reviews/s`);
      const before = await commandCounts(admin.db('admin'));
      const intake = await measureSubmitReviews(stack.gatewayUrl, key, { run: `intake${clients}`, count: opts.count, clients, productIds });
      const cpu2 = processCpuMs(servers.pid);
      const commands = commandsBetween(before, await commandCounts(admin.db('admin')));
      write(`  submitReviews, ${clients} client(s): ${intake.toFixed(0)} reviews/s (${(intake / rawRate).toFixed(2)} of raw); waiting for the consumers`);
      const serverCpuPerReview = cpu0 !== null && cpu1 !== null && cpu2 !== null ? { raw: (cpu1 - cpu0) / opts.count, intake: (cpu2 - cpu1) / opts.count } : null;
      // no analysis worker runs here: its durable only keeps the events
      const left = await waitForConsumersIdle(servers.natsUrl, stream, { ignore: [ANALYSIS_CONSUMER] });
      if (left > 0) write(`  (the consumers still had ${left} events to finish; they keep working during the next run)`);
      // the same documents the intake stored, written by the driver alone once the consumers are done
      const stored = await documentsStoredSince(collectionDb, seen);
      const documentsPerReview = [...stored.values()].reduce((n, docs) => n + docs.length, 0) / opts.count;
      const rawAllRate = await measureRawInsertOfAll(rawAll, stored, opts.count, clients, `c${clients}`);
      write(`  raw insertMany of the ${documentsPerReview.toFixed(2)} documents per review the intake stored, ${clients} client(s): ${rawAllRate.toFixed(0)} reviews/s (submitReviews ${(intake / rawAllRate).toFixed(2)} of it)`);
      rows.push({ clients, raw: rawRate, rawAll: rawAllRate, documentsPerReview, intake, commandsPerBatch: Object.fromEntries(Object.entries(commands).map(([name, n]) => [name, n / batches])), serverCpuPerReview });
    }
    for (const rowCount of opts.importRows ?? []) {
      const run = await measureImportCli(stack.gatewayUrl, key, { run: `import${rowCount}`, rows: rowCount, productIds });
      write(`  npm run import, ${rowCount} rows: ${run.rate.toFixed(0)} rows/s, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
      imports.push(run);
      const left = await waitForConsumersIdle(servers.natsUrl, stream, { ignore: [ANALYSIS_CONSUMER] });
      if (left > 0) write(`  (the consumers still had ${left} events to finish; they keep working during the next run)`);
    }
  } finally {
    await stack?.stop();
    for (const owner of ['collection', 'analysis', 'applications', 'raw', 'rawall']) await admin.db(databaseName(prefix, owner)).dropDatabase().catch(() => undefined);
    await admin.close();
  }
  return { rows, imports };
}

/** The intake rows as a Markdown table (raw, submitReviews and raw of all the intake's documents per client count, ratios against the raw rate of the same clients; the import CLI's rows against raw at 1 client). */
export function intakeTable(rows: readonly IntakeRow[], imports: readonly ImportRun[] = []): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const lines = ['| path | clients | reviews/s | of raw insertMany (same clients) | of raw insertMany (1 client) | database + bus CPU per review |', '|---|---|---|---|---|---|'];
  const rawOne = rows.find((r) => r.clients === 1)?.raw;
  const cpu = (ms: number | undefined) => (ms === undefined ? '–' : `${ms.toFixed(2)} ms`);
  for (const row of rows) {
    lines.push(`| raw insertMany (baseline) | ${row.clients} | ${fmt(row.raw)} | 1.00 | ${rawOne ? (row.raw / rawOne).toFixed(2) : '–'} | ${cpu(row.serverCpuPerReview?.raw)} |`);
    lines.push(`| submitReviews via the gateway | ${row.clients} | ${fmt(row.intake)} | ${(row.intake / row.raw).toFixed(2)} | ${rawOne ? (row.intake / rawOne).toFixed(2) : '–'} | ${cpu(row.serverCpuPerReview?.intake)} |`);
    lines.push(`| raw insertMany of the same ${row.documentsPerReview.toFixed(1)} documents per review the intake stored | ${row.clients} | ${fmt(row.rawAll)} | ${(row.rawAll / row.raw).toFixed(2)} (submitReviews: ${(row.intake / row.rawAll).toFixed(2)} of it) | ${rawOne ? (row.rawAll / rawOne).toFixed(2) : '–'} | – |`);
  }
  for (const run of imports) {
    lines.push(`| npm run import, ${run.rows.toLocaleString('en')} rows (peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB) | CLI default (${run.concurrency} calls in flight) | ${fmt(run.rate)} | – | ${rawOne ? (run.rate / rawOne).toFixed(2) : '–'} | – |`);
  }
  return lines.join('\n');
}
