/**
 * Point operations by `_id` on the database: does their cost stay flat as a collection grows?
 * Every subgraph reads, updates and deletes by `_id` (entity lookups, the insights ledger, result
 * revisions checked by a version field), so a server that scans for them slows down with every stored review. Measured on a
 * collection of 1,000 documents (the baseline) and again after it grew to `--docs`, in one run.
 * Usage: npm run bench:database -- [--docs 30000] [--ops 300]
 */
import { parseArgs } from 'node:util';
import { MongoClient, type Collection } from 'mongodb';
import { benchInfra } from '../infra.js';

const BASELINE_DOCS = 1_000;
const { values } = parseArgs({ options: { docs: { type: 'string', default: '30000' }, ops: { type: 'string', default: '300' } } });
const docs = Number(values.docs);
const ops = Number(values.ops);
if (!Number.isInteger(docs) || docs < 2 * BASELINE_DOCS) throw new Error(`--docs must be a whole number ≥ ${2 * BASELINE_DOCS}`);
if (!Number.isInteger(ops) || ops < 10 || ops > BASELINE_DOCS / 2) throw new Error(`--ops must be a whole number from 10 to ${BASELINE_DOCS / 2}`);

interface LedgerLike { _id: string; tenantId: string; at: Date }
const idOf = (i: number) => `bench|a:rev_${i.toString(16).padStart(24, '0')}:1`;

async function growTo(collection: Collection<LedgerLike>, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, to - start) }, (_, i) => ({ _id: idOf(start + i), tenantId: 'bench', at: new Date() }));
    await collection.insertMany(batch, { ordered: false });
    process.stdout.write(`\r  filling: ${Math.min(to, start + 1_000).toLocaleString('en')} / ${to.toLocaleString('en')} documents`);
  }
  process.stdout.write('\n');
}

/** Milliseconds per operation, run one after another (a point operation's latency, not throughput). */
async function perOp(run: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < ops; i++) await run(i);
  return (performance.now() - started) / ops;
}

async function measure(collection: Collection<LedgerLike>, size: number): Promise<Record<string, number>> {
  const pick = (i: number) => idOf((i * 7_919) % size);
  return {
    'findOne by _id, found': await perOp((i) => collection.findOne({ _id: pick(i) })),
    'findOne by _id, missing': await perOp((i) => collection.findOne({ _id: `bench|missing:${i}` })),
    'updateOne by _id': await perOp((i) => collection.updateOne({ _id: pick(i) }, { $set: { at: new Date() } })),
    'updateOne by _id and another field': await perOp((i) => collection.updateOne({ _id: pick(i), tenantId: 'bench' }, { $set: { at: new Date() } })),
    'deleteOne by _id': await perOp((i) => collection.deleteOne({ _id: idOf(size - 1 - i) })),
  };
}

const infra = await benchInfra({ bus: false });
const client = await MongoClient.connect(infra.mongoUri);
const db = client.db(`bench_database_${Date.now().toString(36)}`);
try {
  const collection = db.collection<LedgerLike>('point_ops');
  process.stdout.write(`point operations by _id: ${BASELINE_DOCS.toLocaleString('en')} documents (baseline) vs ${docs.toLocaleString('en')}, ${ops} operations each\n`);
  await growTo(collection, 0, BASELINE_DOCS);
  const small = await measure(collection, BASELINE_DOCS);
  // the baseline deleted its last `ops` documents: refill them, then grow
  await growTo(collection, BASELINE_DOCS - ops, docs);
  const large = await measure(collection, docs);
  process.stdout.write(`\n| operation | ms at ${BASELINE_DOCS.toLocaleString('en')} docs (= 1.00) | ms at ${docs.toLocaleString('en')} docs | ratio |\n|---|---|---|---|\n`);
  for (const name of Object.keys(small)) {
    process.stdout.write(`| ${name} | ${small[name]!.toFixed(2)} | ${large[name]!.toFixed(2)} | ${(large[name]! / small[name]!).toFixed(2)} × |\n`);
  }
  process.stdout.write(`\nA ratio near 1 means the lookup uses the _id index; a ratio near ${(docs / BASELINE_DOCS).toFixed(0)} means it scans the collection.\n`);
} finally {
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  await infra.close();
}
