import { parseArgs } from 'node:util';
import { startEmbedded, type EmbeddedServers } from '../lib/embedded.js';
import { defaultDataDir, removeEndpoints, writeEndpoints } from '../lib/endpoints.js';
import { acquireInstanceLock, AlreadyRunningError, type InstanceLock } from '../lib/instance-lock.js';
import { checkPortsFree, startStack, type Stack } from '../lib/stack.js';
import { DEFAULT_RESTART_POLICY, Supervisor } from '../lib/supervisor.js';

const usage = 'usage: npm start -- [--workers N] [--data-dir DIR]   (N analysis worker processes, default 1, at most 16; DIR for the embedded servers, default $REVIEWGRAPH_DATA_DIR or .data/embedded)';
let workers = 1;
let dataDir = defaultDataDir();
try {
  const { values } = parseArgs({ options: { workers: { type: 'string', short: 'w' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error(`--workers must be a whole number from 1 to 16, got "${values.workers}"`);
  }
  if (values['data-dir'] !== undefined) dataDir = values['data-dir'];
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}

const write = (line: string) => process.stdout.write(`${line}\n`);
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = { gateway: port('GATEWAY_PORT', 4000), collection: port('COLLECTION_PORT', 4001), analysis: port('ANALYSIS_PORT', 4002), applications: port('APPLICATIONS_PORT', 4003) };
const gatewayUrl = `http://127.0.0.1:${ports.gateway}/graphql`;
const useEmbedded = !process.env.MONGODB_URI || !process.env.NATS_URL;
let lock: InstanceLock | null = null;
let launcher: Supervisor<EmbeddedServers> | null = null;
let starting: Promise<Stack> | null = null;
let stack: Stack | null = null;
let shuttingDown: Promise<never> | null = null;

function shutdown(code: number): Promise<never> {
  shuttingDown ??= (async () => {
    // Ctrl-C reaches every process of the group at once: from here on, exits are expected.
    launcher?.halt();
    write('reviewgraph: stopping…');
    // A stack still starting is stopped once its start settles, so no process is left behind.
    await (stack ? stack.stop() : starting?.then((s) => s.stop(), () => undefined));
    await launcher?.stop();
    if (lock) removeEndpoints(dataDir);
    lock?.release();
    write('reviewgraph: stopped');
    process.exit(code);
  })();
  return shuttingDown;
}
const onSignal = () => (shuttingDown ? process.exit(1) : void shutdown(0));
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** One line saying what could not be kept running, then everything stops. */
function fail(reason: string): void {
  if (shuttingDown) return;
  write(`reviewgraph: ${reason}; stopping everything`);
  void shutdown(1);
}

try {
  // Before anything is started or written: a second start on this folder must leave the first one alone.
  if (useEmbedded) lock = acquireInstanceLock(dataDir, { gatewayUrl, ports });
  await checkPortsFree(ports);
  let mongoUri = process.env.MONGODB_URI;
  let natsUrl = process.env.NATS_URL;
  if (useEmbedded) {
    write(`reviewgraph: starting the embedded FerretDB + NATS JetStream (data in ${dataDir})…`);
    // Restarts reuse the first ports, so the running services reconnect to the same URLs.
    let mongoPort = 0;
    let natsPort = 0;
    launcher = new Supervisor('embedded launcher', () => startEmbedded({ dataDir, mongoPort, natsPort }), { policy: DEFAULT_RESTART_POLICY, write, onGiveUp: fail });
    const embedded = await launcher.start();
    mongoPort = Number(new URL(embedded.mongoUri).port);
    natsPort = Number(new URL(embedded.natsUrl).port);
    writeEndpoints(dataDir, { mongoUri: embedded.mongoUri, natsUrl: embedded.natsUrl });
    lock?.update({ mongoUri: embedded.mongoUri, natsUrl: embedded.natsUrl });
    mongoUri ??= embedded.mongoUri;
    natsUrl ??= embedded.natsUrl;
  }
  starting = startStack({ mongoUri: mongoUri!, natsUrl: natsUrl!, workers, ports, write, restart: DEFAULT_RESTART_POLICY, onFailure: fail });
  stack = await starting;
  if (!shuttingDown) write(`\nreviewgraph is up: ${stack.gatewayUrl}  (${workers} analysis worker${workers > 1 ? 's' : ''}; Ctrl-C stops everything)\n`);
} catch (error) {
  if (error instanceof AlreadyRunningError) {
    write(`reviewgraph: ${error.message}`);
    process.exit(1);
  }
  write(`reviewgraph: ${(error as Error).message}`);
  await shutdown(1);
}
