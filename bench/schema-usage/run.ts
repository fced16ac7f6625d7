/**
 * What recording schema usage costs the gateway: two gateway processes over the same subgraphs, one
 * with usage recording off (SCHEMA_USAGE_SAMPLE_RATE=0) and one recording every operation (rate 1,
 * the default, flushing every second), loaded at the same time by as many closed-loop clients each
 * (four client names/versions), so the shared machine's drift falls on both alike. Reports
 * requests/s per round and the on/off ratio (target ≥ 0.95).
 * Usage: npm run bench:schema-usage -- [--rounds 4] [--seconds 8] [--clients 16]
 */
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { freePort, startStack } from '../../lib/stack.js';
import { startHealthy, type RunningProcess } from '../../lib/supervisor.js';
import { gatewayDatabase } from '../../lib/schema/usage-source.js';
import { USAGE_COLLECTION } from '../../lib/schema/usage-store.js';
import { benchInfra } from '../infra.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, seconds: { type: 'string', default: '8' }, clients: { type: 'string', default: '16' } } });
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const clients = Number(values.clients);
if (!Number.isInteger(rounds) || rounds < 1 || !(seconds >= 1) || !Number.isInteger(clients) || clients < 1) throw new Error('--rounds ≥ 1, --seconds ≥ 1, --clients ≥ 1');

const KEY = 'bench-schema-usage-key-0123456789';
const prefix = `benchusage${Date.now().toString(36)}`;
const API_KEYS = JSON.stringify([{ key: KEY, name: 'bench', tenantId: 'bench', scopes: ['read', 'write'] }]);
// Many coordinates per operation (the recorder's cost grows with them), served by one subgraph call.
const QUERY = '{ products(first: 10) { edges { cursor node { id sku name brand category } } pageInfo { hasNextPage endCursor } } }';
const CLIENT_NAMES = [['web', '3.2.0'], ['ios', '2.9.1'], ['android', '2.9.0'], ['partner-sync', '1.0.0']];

async function load(url: string, durationMs: number): Promise<number> {
  const end = Date.now() + durationMs;
  let done = 0;
  const body = JSON.stringify({ query: QUERY });
  await Promise.all(Array.from({ length: clients }, async (_, i) => {
    const [name, version] = CLIENT_NAMES[i % CLIENT_NAMES.length]!;
    const headers = { 'content-type': 'application/json', 'x-api-key': KEY, 'graphql-client-name': name!, 'graphql-client-version': version! };
    while (Date.now() < end) {
      const response = await fetch(url, { method: 'POST', headers, body });
      const json = (await response.json()) as { errors?: unknown[] };
      if (!response.ok || json.errors) throw new Error(`gateway answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
      done += 1;
    }
  }));
  return done / (durationMs / 1000);
}

const infra = await benchInfra();
const lines: string[] = [];
const write = (line: string) => lines.push(line);
const stack = await startStack({ ...infra, workers: 0, env: { DB_PREFIX: prefix, BUS_NAMESPACE: prefix, LOG_LEVEL: 'warn', API_KEYS, SCHEMA_USAGE_SAMPLE_RATE: '0' }, write });
const gateways: RunningProcess[] = [];
try {
  const startGateway = async (name: string, sampleRate: string) => {
    const port = await freePort();
    const env = {
      MONGODB_URI: infra.mongoUri, DB_PREFIX: prefix, LOG_LEVEL: 'warn', API_KEYS, GATEWAY_PORT: String(port),
      COLLECTION_URL: `http://127.0.0.1:${stack.ports.collection}/graphql`, ANALYSIS_URL: `http://127.0.0.1:${stack.ports.analysis}/graphql`, APPLICATIONS_URL: `http://127.0.0.1:${stack.ports.applications}/graphql`,
      RATE_LIMIT_PER_MINUTE: '100000000', SCHEMA_USAGE_SAMPLE_RATE: sampleRate, SCHEMA_USAGE_FLUSH_MS: '1000',
    };
    gateways.push(await startHealthy({ name, entry: 'gateway/src/index.ts', env }, `http://127.0.0.1:${port}/health`, write, 60_000));
    return `http://127.0.0.1:${port}/graphql`;
  };
  const off = await startGateway('gateway-usage-off', '0');
  const on = await startGateway('gateway-usage-on', '1');
  await Promise.all([load(off, 2_000), load(on, 2_000)]); // warm both (parse caches, query plans, connections)
  const results: Array<{ round: number; off: number; on: number }> = [];
  for (let round = 1; round <= rounds; round++) {
    const [offRate, onRate] = await Promise.all([load(off, seconds * 1000), load(on, seconds * 1000)]);
    const r = { round, off: offRate, on: onRate };
    results.push(r);
    process.stdout.write(`round ${round}: off ${r.off.toFixed(0)} req/s, on ${r.on.toFixed(0)} req/s, ratio ${(r.on / r.off).toFixed(3)}\n`);
  }
  const total = (k: 'off' | 'on') => results.reduce((s, r) => s + r[k], 0);
  const ratios = results.map((r) => r.on / r.off).sort((x, y) => x - y);
  const median = ratios[Math.floor((ratios.length - 1) / 2)]! / 2 + ratios[Math.ceil((ratios.length - 1) / 2)]! / 2;
  await new Promise((r) => setTimeout(r, 1_500));
  const mongo = await MongoClient.connect(infra.mongoUri);
  const docs = await mongo.db(gatewayDatabase(prefix)).collection(USAGE_COLLECTION).countDocuments({});
  const operations = (await mongo.db(gatewayDatabase(prefix)).collection(USAGE_COLLECTION).find({}).toArray()).reduce((n, d) => n + (d.operations as number), 0);
  await mongo.db(gatewayDatabase(prefix)).dropDatabase();
  await mongo.close();
  process.stdout.write(`\n${clients} clients on each gateway at once, ${rounds} rounds of ${seconds} s\n`);
  process.stdout.write(`usage off: ${(total('off') / rounds).toFixed(0)} req/s mean; usage on: ${(total('on') / rounds).toFixed(0)} req/s mean\n`);
  process.stdout.write(`on/off: ${(total('on') / total('off')).toFixed(3)} overall, median round ${median.toFixed(3)} (target ≥ 0.95)\n`);
  process.stdout.write(`recorded: ${operations} operations in ${docs} usage documents (one per client per flush)\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${lines.slice(-20).join('\n')}\n`);
  process.exitCode = 1;
} finally {
  for (const gateway of gateways) await gateway.stop();
  await stack.stop();
  await infra.close();
}
