import { createServer } from 'node:net';
import { startProcess, stopAll, waitHealthy, type ProcessSpec, type RunningProcess } from './supervisor.js';

export interface StackOptions {
  mongoUri: string;
  natsUrl: string;
  workers: number;
  ports?: Partial<Record<'gateway' | 'collection' | 'analysis' | 'applications', number>>;
  /** Extra environment for every process (e.g. DB_PREFIX, BUS_NAMESPACE, API_KEYS). */
  env?: Record<string, string>;
  write?: (line: string) => void;
  /** Called when a process exits on its own while the stack is running. */
  onUnexpectedExit?: (proc: RunningProcess, code: number | null) => void;
}

export interface Stack {
  gatewayUrl: string;
  processes: RunningProcess[];
  /** Starts one more analysis worker (competing consumer). */
  addWorker(): RunningProcess;
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

/** Starts the three subgraphs, the analysis workers and the gateway as separate processes, and waits until all are healthy. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const write = options.write ?? (() => undefined);
  const ports = {
    gateway: options.ports?.gateway ?? (await freePort()),
    collection: options.ports?.collection ?? (await freePort()),
    analysis: options.ports?.analysis ?? (await freePort()),
    applications: options.ports?.applications ?? (await freePort()),
  };
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
  const processes: RunningProcess[] = [];
  let stopping = false;
  const track = (proc: RunningProcess) => {
    processes.push(proc);
    void proc.exited.then((code) => {
      if (!stopping) options.onUnexpectedExit?.(proc, code);
    });
    return proc;
  };
  let workerCount = 0;
  const addWorker = () => track(startProcess(analysisWorkerSpec(`analysis-worker-${++workerCount}`, env), write));
  const stop = async () => {
    stopping = true;
    await stopAll([...processes].reverse());
  };
  try {
    const subgraphs = (['collection', 'analysis', 'applications'] as const).map((name) => ({
      proc: track(startProcess({ name, entry: `subgraphs/${name}/src/index.ts`, env }, write)),
      health: `http://127.0.0.1:${ports[name]}/health`,
    }));
    for (let i = 0; i < options.workers; i++) addWorker();
    await Promise.all(subgraphs.map((s) => waitHealthy(s.health, s.proc, 90_000)));
    const gateway = track(startProcess({ name: 'gateway', entry: 'gateway/src/index.ts', env }, write));
    await waitHealthy(`http://127.0.0.1:${ports.gateway}/health`, gateway, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { gatewayUrl: `http://127.0.0.1:${ports.gateway}/graphql`, processes, addWorker, stop };
}
