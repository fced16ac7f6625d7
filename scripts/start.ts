import { parseArgs } from 'node:util';
import { startEmbedded, type EmbeddedServers } from '../lib/embedded.js';
import { startProcess, stopAll, waitHealthy, type RunningProcess } from '../lib/supervisor.js';

const usage = 'usage: npm start -- [--workers N]   (N analysis worker processes, default 1, at most 16)';
let workers = 1;
try {
  const { values } = parseArgs({ options: { workers: { type: 'string', short: 'w' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error(`--workers must be a whole number from 1 to 16, got "${values.workers}"`);
  }
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}

const env = process.env;
const ports = { gateway: env.GATEWAY_PORT ?? '4000', collection: env.COLLECTION_PORT ?? '4001', analysis: env.ANALYSIS_PORT ?? '4002', applications: env.APPLICATIONS_PORT ?? '4003' };
const write = (line: string) => process.stdout.write(`${line}\n`);
const processes: RunningProcess[] = [];
let embedded: EmbeddedServers | null = null;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    write('reviewgraph: stopping…');
    await stopAll([...processes].reverse());
    await embedded?.stop();
    write('reviewgraph: stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  let mongoUri = env.MONGODB_URI;
  let natsUrl = env.NATS_URL;
  if (!mongoUri || !natsUrl) {
    write('reviewgraph: starting the embedded FerretDB + NATS JetStream (data in .data/embedded)…');
    embedded = await startEmbedded({ dataDir: '.data/embedded' });
    mongoUri ??= embedded.mongoUri;
    natsUrl ??= embedded.natsUrl;
  }
  const shared = { MONGODB_URI: mongoUri, NATS_URL: natsUrl, COLLECTION_PORT: ports.collection, ANALYSIS_PORT: ports.analysis, APPLICATIONS_PORT: ports.applications };
  const subgraphs = (['collection', 'analysis', 'applications'] as const).map((name) => ({
    proc: startProcess({ name, entry: `subgraphs/${name}/src/index.ts`, env: shared }, write),
    health: `http://127.0.0.1:${ports[name]}/health`,
  }));
  processes.push(...subgraphs.map((s) => s.proc));
  for (let i = 1; i <= workers; i++) processes.push(startProcess({ name: `analysis-worker-${i}`, entry: 'subgraphs/analysis/src/worker.ts', env: shared }, write));
  for (const proc of processes) {
    void proc.exited.then((code) => {
      if (stopping) return;
      write(`reviewgraph: ${proc.spec.name} exited with code ${code}; stopping everything`);
      void shutdown(1);
    });
  }
  await Promise.all(subgraphs.map((s) => waitHealthy(s.health, s.proc, 90_000)));
  const gateway = startProcess({
    name: 'gateway',
    entry: 'gateway/src/index.ts',
    env: { GATEWAY_PORT: ports.gateway, COLLECTION_URL: `http://127.0.0.1:${ports.collection}/graphql`, ANALYSIS_URL: `http://127.0.0.1:${ports.analysis}/graphql`, APPLICATIONS_URL: `http://127.0.0.1:${ports.applications}/graphql` },
  }, write);
  processes.push(gateway);
  void gateway.exited.then((code) => {
    if (!stopping) {
      write(`reviewgraph: gateway exited with code ${code}; stopping everything`);
      void shutdown(1);
    }
  });
  await waitHealthy(`http://127.0.0.1:${ports.gateway}/health`, gateway, 60_000);
  write(`\nreviewgraph is up: http://127.0.0.1:${ports.gateway}/graphql  (${workers} analysis worker${workers > 1 ? 's' : ''}; Ctrl-C stops everything)\n`);
} catch (error) {
  write(`reviewgraph: ${(error as Error).message}`);
  await shutdown(1);
}
