import { createServer } from 'node:net';
import { livenessFromEnv, livenessUrl, type LivenessPolicy } from './liveness.js';
import { startHealthy, Supervisor, type ProcessSpec, type RestartPolicy, type RunningProcess } from './supervisor.js';

export type StackPorts = Record<'gateway' | 'collection' | 'analysis' | 'applications', number>;

export interface StackOptions {
  mongoUri: string;
  natsUrl: string;
  workers: number;
  ports?: Partial<StackPorts>;
  /** Extra environment for every process (e.g. DB_PREFIX, BUS_NAMESPACE, API_KEYS). */
  env?: Record<string, string>;
  write?: (line: string) => void;
  /** Restart a process that ends on its own with this policy; without one, its first crash is a failure. */
  restart?: RestartPolicy;
  /** Called once, after start-up, when a process cannot be kept running; the reason is one line. */
  onFailure?: (reason: string) => void;
  /** Kill (and so restart) a process that stops answering; default from `LIVENESS_*` when `restart` is given, else none. */
  liveness?: LivenessPolicy | null;
}

export interface Stack {
  gatewayUrl: string;
  ports: StackPorts;
  /** The current incarnation of every process. */
  readonly processes: RunningProcess[];
  /** Starts one more analysis worker (competing consumer) and resolves once it is healthy. */
  addWorker(): Promise<RunningProcess>;
  stop(): Promise<void>;
}

/**
 * An analysis worker process. Workers are CPU-bound and run one per core, so V8's parallel garbage
 * collection threads only compete with the other workers and the database for the same cores:
 * collecting on the worker's own thread used less CPU per review (bench/analysis).
 */
export function analysisWorkerSpec(name: string, env: Record<string, string>): ProcessSpec {
  return { name, entry: 'subgraphs/analysis/src/worker.ts', env, nodeFlags: ['--single-threaded-gc'] };
}

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Throws one line naming the first of `ports` (by its process name) that something already listens on. */
export async function checkPortsFree(ports: Record<string, number>, host = '127.0.0.1'): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portIsFree(port, host))) {
      throw new Error(`port ${port} (${name}) is already in use on ${host}: stop what uses it or move reviewgraph with ${name.toUpperCase()}_PORT`);
    }
  }
}

/** How long a subgraph or analysis worker has, from its start, to answer its health check (models loaded, warmed up, connected). */
export const SUBGRAPH_HEALTHY_MS = 90_000;
const GATEWAY_HEALTHY_MS = 60_000;

/**
 * Starts the three subgraphs, the analysis workers, the webhook worker and the gateway as separate processes, each under
 * a {@link Supervisor}, and waits until all are healthy.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const write = options.write ?? (() => undefined);
  const ports: StackPorts = {
    gateway: options.ports?.gateway ?? (await freePort()),
    collection: options.ports?.collection ?? (await freePort()),
    analysis: options.ports?.analysis ?? (await freePort()),
    applications: options.ports?.applications ?? (await freePort()),
  };
  await checkPortsFree(ports);
  const env = {
    ...options.env,
    MONGODB_URI: options.mongoUri,
    NATS_URL: options.natsUrl,
    COLLECTION_PORT: String(ports.collection),
    ANALYSIS_PORT: String(ports.analysis),
    APPLICATIONS_PORT: String(ports.applications),
    GATEWAY_PORT: String(ports.gateway),
    COLLECTION_URL: `http://127.0.0.1:${ports.collection}/graphql`,
    ANALYSIS_URL: `http://127.0.0.1:${ports.analysis}/graphql`,
    APPLICATIONS_URL: `http://127.0.0.1:${ports.applications}/graphql`,
  };
  const supervisors: Array<Supervisor<RunningProcess>> = [];
  let started = false;
  let startupFailure: string | null = null;
  let failed = false;
  const giveUp = (reason: string) => {
    if (failed) return;
    failed = true;
    if (started) options.onFailure?.(reason);
    else startupFailure = reason;
  };
  // Each process keeps its port across restarts, so the gateway (and `npm run reanalyze`) find it again.
  const liveness = options.liveness !== undefined ? options.liveness : options.restart ? livenessFromEnv({ ...process.env, ...options.env }) : null;
  const supervise = async (spec: ProcessSpec, healthUrl: string, timeoutMs: number) => {
    const supervisor = new Supervisor(spec.name, () => startHealthy(spec, healthUrl, write, timeoutMs), {
      policy: options.restart ?? null, write, onGiveUp: giveUp,
      liveness: liveness ? { url: livenessUrl(healthUrl), policy: liveness } : undefined,
    });
    supervisors.push(supervisor);
    return supervisor.start();
  };
  let workerCount = 0;
  const addWorker = async () => {
    const metricsPort = await freePort();
    const spec = analysisWorkerSpec(`analysis-worker-${++workerCount}`, { ...env, WORKER_METRICS_PORT: String(metricsPort) });
    return supervise(spec, `http://127.0.0.1:${metricsPort}/health`, SUBGRAPH_HEALTHY_MS);
  };
  const stop = async () => {
    failed = true;
    for (const supervisor of supervisors) supervisor.halt();
    // Gateway first, the subgraphs and workers behind it last.
    for (const supervisor of [...supervisors].reverse()) await supervisor.stop();
  };
  try {
    const subgraphs = (['collection', 'analysis', 'applications'] as const).map((name) =>
      supervise({ name, entry: `subgraphs/${name}/src/index.ts`, env }, `http://127.0.0.1:${ports[name]}/health`, SUBGRAPH_HEALTHY_MS));
    const workers = Array.from({ length: options.workers }, () => addWorker());
    const webhookWorker = freePort().then((metricsPort) => supervise(
      { name: 'webhook-worker', entry: 'subgraphs/applications/src/webhook-worker.ts', env: { ...env, WEBHOOK_WORKER_METRICS_PORT: String(metricsPort) } },
      `http://127.0.0.1:${metricsPort}/health`, SUBGRAPH_HEALTHY_MS));
    // Wait for all of them, so none is left running unseen when another fails.
    const results = await Promise.allSettled([...subgraphs, ...workers, webhookWorker]);
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    await supervise({ name: 'gateway', entry: 'gateway/src/index.ts', env }, `http://127.0.0.1:${ports.gateway}/health`, GATEWAY_HEALTHY_MS);
    if (startupFailure) throw new Error(startupFailure);
  } catch (error) {
    await stop();
    throw error;
  }
  started = true;
  return {
    gatewayUrl: `http://127.0.0.1:${ports.gateway}/graphql`,
    ports,
    get processes() {
      return supervisors.flatMap((s) => (s.current ? [s.current] : []));
    },
    addWorker,
    stop,
  };
}
