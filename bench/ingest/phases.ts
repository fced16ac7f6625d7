/**
 * Where one `submitReviews` batch spends its time, in one process (no gateway, no other services):
 * the collection subgraph's services on the embedded FerretDB + NATS (or `MONGODB_URI`/`NATS_URL`),
 * every repository and publisher method timed as it is called, batches of 500 generated reviews
 * from `--clients` concurrent callers, spread over `--products` products (as bench:ingest spreads
 * them; with one product, generated texts repeat and the near-duplicate claims find them). Times are
 * summed over the callers and divided by the batches.
 * Also the CPU the database + bus process spent per batch, and this process's own, when it started the
 * embedded servers itself (or was given `--server-pid` of the launcher behind MONGODB_URI).
 * Usage: npx tsx bench/ingest/phases.ts [--batches 10] [--clients 1] [--products 200] [--server-pid N]
 */
import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus } from '../../lib/bus/index.js';
import { createLogger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { connectDatabase, databaseName } from '../../lib/mongo.js';
import { reviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { submitReviews } from '../../subgraphs/collection/src/services/review-intake.js';
import { benchInfra } from '../infra.js';
import { generatedReview } from '../support/generated-reviews.js';
import { INTAKE_BATCH } from '../support/intake.js';
import { processCpuMs } from '../support/process-cpu.js';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '10' }, clients: { type: 'string', default: '1' }, products: { type: 'string', default: '200' }, 'server-pid': { type: 'string' } } });
const batches = Number(values.batches);
const clients = Number(values.clients);
const productCount = Number(values.products);
if (![batches, clients, productCount].every((n) => Number.isInteger(n) && n >= 1)) throw new Error('--batches, --clients and --products must be whole numbers ≥ 1');

const infra = await benchInfra();
const serverPid = values['server-pid'] === undefined ? infra.pid : Number(values['server-pid']);
const prefix = `benchphases${Date.now().toString(36)}`;
const database = await connectDatabase(infra.mongoUri, databaseName(prefix, 'collection'));
const topics = reviewTopics(prefix);
const log = createLogger('bench-phases', 'warn');
const bus = await connectBus({ natsUrl: infra.natsUrl, name: 'bench-phases', log, streams: [topics.stream] });
try {
  const { services } = await createServer({ database, publisher: bus, topics, log, internalSecret: 'bench-phases-secret-0123456789abcdef0123', metrics: createMetrics('bench-phases') });
  const times = new Map<string, number>();
  // the database + bus process's CPU while each call ran (with one caller and no calls side by side, its own)
  const serverTimes = new Map<string, number>();
  const timed = <T>(label: string, work: () => T): T => {
    const started = performance.now();
    const serverStarted = processCpuMs(serverPid);
    const record = () => {
      times.set(label, (times.get(label) ?? 0) + performance.now() - started);
      const serverNow = processCpuMs(serverPid);
      if (serverStarted !== null && serverNow !== null) serverTimes.set(label, (serverTimes.get(label) ?? 0) + serverNow - serverStarted);
    };
    const out = work();
    // synchronous helpers count too, without being turned into promises
    if (out instanceof Promise) return out.finally(record) as T;
    record();
    return out;
  };
  // every method of every service object, timed under `service.method` (nested calls count in both)
  for (const [name, service] of Object.entries(services as unknown as Record<string, Record<string, unknown>>)) {
    if (!service || typeof service !== 'object' || name === 'log' || name === 'topics') continue;
    const targets = [service, ...(name === 'reviews' ? [service.lists as Record<string, unknown>] : [])];
    for (const target of targets) {
      const label = target === service ? name : `${name}.lists`;
      for (const method of Object.getOwnPropertyNames(Object.getPrototypeOf(target))) {
        const original = target[method];
        if (method === 'constructor' || typeof original !== 'function') continue;
        target[method] = (...args: unknown[]) => timed(`${label}.${method}`, () => (original as (...a: unknown[]) => unknown).apply(target, args));
      }
    }
  }
  const productIds: string[] = [];
  for (let i = 0; i < productCount; i++) productIds.push((await services.products.upsertBySku('bench', { sku: `PHASES-${i}`, name: `Bench watch ${i}`, brand: null, category: 'sport-watch' }))._id);
  times.clear();
  serverTimes.clear();
  let next = 0;
  const serverCpu0 = processCpuMs(serverPid);
  const ownCpu0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < batches) {
      const batch = next++;
      const inputs = Array.from({ length: INTAKE_BATCH }, (_, k) => generatedReview(prefix, batch * INTAKE_BATCH + k, productIds));
      const result = await timed('submitReviews (whole call)', () => submitReviews(services, 'bench', inputs));
      if ((result as Awaited<ReturnType<typeof submitReviews>>).rejected.length > 0) throw new Error(`rejected: ${JSON.stringify((result as Awaited<ReturnType<typeof submitReviews>>).rejected[0])}`);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const serverCpu1 = processCpuMs(serverPid);
  const own = process.cpuUsage(ownCpu0);
  const cpu = `CPU ms per batch: database + bus ${serverCpu0 === null || serverCpu1 === null ? '–' : ((serverCpu1 - serverCpu0) / batches).toFixed(0)}, this process ${((own.user + own.system) / 1000 / batches).toFixed(0)}`;
  process.stdout.write(`${clients} caller(s), ${batches} batches of ${INTAKE_BATCH}: ${((batches * INTAKE_BATCH) / seconds).toFixed(0)} reviews/s; ${cpu}; ms per batch:\n`);
  process.stdout.write(`  ${'call'.padEnd(40)} ${'wall'.padStart(7)} ${'db+bus CPU'.padStart(11)}\n`);
  for (const [label, ms] of [...times].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${label.padEnd(40)} ${(ms / batches).toFixed(1).padStart(7)} ${serverTimes.has(label) ? (serverTimes.get(label)! / batches).toFixed(1).padStart(11) : ''}\n`);
} finally {
  const jsm = await jetstreamManager(bus.connection);
  for (const stream of [topics.stream.name, `${topics.stream.name}_DLQ`]) await jsm.streams.delete(stream).catch(() => undefined);
  await bus.close();
  await database.db.dropDatabase().catch(() => undefined);
  await database.close();
  await infra.close();
}
