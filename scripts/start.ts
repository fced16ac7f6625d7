import { parseArgs } from 'node:util';
import { startEmbedded, type EmbeddedServers } from '../lib/embedded.js';
import { writeEndpoints } from '../lib/endpoints.js';
import { startStack, type Stack } from '../lib/stack.js';

const usage = 'usage: npm start -- [--workers N]   (N analysis worker processes, default 1, at most 16)';
let workers = 1;
try {
  const { values } = parseArgs({ options: { workers: { type: 'string', short: 'w' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error(`--workers must be a whole number from 1 to 16, got "${values.workers}"`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}

const write = (line: string) => process.stdout.write(`${line}\n`);
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
let embedded: EmbeddedServers | null = null;
let stack: Stack | null = null;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    write('reviewgraph: stopping…');
    await stack?.stop();
    await embedded?.stop();
    write('reviewgraph: stopped');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  let mongoUri = process.env.MONGODB_URI;
  let natsUrl = process.env.NATS_URL;
  if (!mongoUri || !natsUrl) {
    write('reviewgraph: starting the embedded FerretDB + NATS JetStream (data in .data/embedded)…');
    embedded = await startEmbedded({ dataDir: '.data/embedded' });
    writeEndpoints('.data/embedded', { mongoUri: embedded.mongoUri, natsUrl: embedded.natsUrl });
    mongoUri ??= embedded.mongoUri;
    natsUrl ??= embedded.natsUrl;
  }
  stack = await startStack({
    mongoUri,
    natsUrl,
    workers,
    ports: { gateway: port('GATEWAY_PORT', 4000), collection: port('COLLECTION_PORT', 4001), analysis: port('ANALYSIS_PORT', 4002), applications: port('APPLICATIONS_PORT', 4003) },
    write,
    onUnexpectedExit: (proc, code) => {
      // During start-up, startStack reports the failure itself and stops what it started.
      if (!stack) return;
      write(`reviewgraph: ${proc.spec.name} exited with code ${code}${proc.lastError ? ` (${proc.lastError})` : ''}; stopping everything`);
      void shutdown(1);
    },
  });
  write(`\nreviewgraph is up: ${stack.gatewayUrl}  (${workers} analysis worker${workers > 1 ? 's' : ''}; Ctrl-C stops everything)\n`);
} catch (error) {
  write(`reviewgraph: ${(error as Error).message}`);
  await shutdown(1);
}
