import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { watchLiveness, type LivenessPolicy } from './liveness.js';

const require = createRequire(import.meta.url);
const tsxLoader = require.resolve('tsx');

export interface ProcessSpec { name: string; entry: string; env: Record<string, string>; nodeFlags?: string[] }

/** How a process ended: its exit code, or the signal that killed it (then `code` is null). */
export interface ExitStatus { code: number | null; signal: NodeJS.Signals | null }

export interface RunningProcess {
  spec: ProcessSpec;
  child: ChildProcess;
  /** The exit code (null when a signal ended it); kept for callers that only need the code. */
  exited: Promise<number | null>;
  ended: Promise<ExitStatus>;
  readonly pid: number | undefined;
  /** The message of the last error or fatal log line the process wrote, to explain an early exit. */
  readonly lastError: string | null;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** "killed by SIGKILL" or "exited with code 1". */
export function describeExit(status: ExitStatus): string {
  return status.signal ? `killed by ${status.signal}` : `exited with code ${status.code}`;
}

/** With REVIEWGRAPH_CPU_PROFILE_DIR set, every started process writes a V8 CPU profile there when it exits. */
function cpuProfileArgs(): string[] {
  const dir = process.env.REVIEWGRAPH_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts a TypeScript entry point as its own Node process, prefixing each output line with its name. */
export function startProcess(spec: ProcessSpec, write: (line: string) => void): RunningProcess {
  const child = spawn(process.execPath, [...cpuProfileArgs(), ...(spec.nodeFlags ?? []), '--import', tsxLoader, spec.entry], {
    // REVIEWGRAPH_SUPERVISOR_PID: the process stops on its own when this one dies (lib/service.ts).
    env: { ...process.env, ...spec.env, REVIEWGRAPH_SUPERVISOR_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lastError: string | null = null;
  const prefix = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lastError = errorMessageOf(line) ?? lastError;
      write(`${spec.name.padEnd(18)} ${line}`);
    }
  };
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  // 'close' rather than 'exit': by then the last output lines (the reason for a crash) have been read.
  const ended = new Promise<ExitStatus>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const exited = ended.then((status) => status.code);
  const proc: RunningProcess = { spec, child, exited, ended, pid: child.pid, get lastError() { return lastError; }, stop: () => stopAll([proc]) };
  return proc;
}

/** Starts a process and resolves once `healthUrl` answers 200; stops it and rejects if it does not. */
export async function startHealthy(spec: ProcessSpec, healthUrl: string, write: (line: string) => void, timeoutMs: number): Promise<RunningProcess> {
  const proc = startProcess(spec, write);
  try {
    await waitHealthy(healthUrl, proc, timeoutMs);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return proc;
}

/** The `msg` of a pino line at level error or fatal. */
function errorMessageOf(line: string): string | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(line) as { level?: number; msg?: string };
    return (parsed.level ?? 0) >= 50 && parsed.msg ? parsed.msg : null;
  } catch {
    return null;
  }
}

/** Polls `url` until it answers 200, the process exits, or the timeout passes. */
export async function waitHealthy(url: string, proc: RunningProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: ExitStatus | null = null;
  void proc.ended.then((status) => { ended = status; });
  while (Date.now() < deadline) {
    if (ended) throw new Error(`${proc.spec.name} ${describeExit(ended)} before it became healthy: ${proc.lastError ?? 'see its log lines above'}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    // A 200 from a process that has already died came from someone else on its port.
    if (ok && proc.child.exitCode === null && proc.child.signalCode === null) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${proc.spec.name} did not become healthy at ${url} within ${Math.round(timeoutMs / 1000)} s`);
}

/** Sends SIGTERM to every process, then SIGKILL to any still running after `graceMs`. */
export async function stopAll(processes: RunningProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(processes.map(async (proc) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    proc.child.kill('SIGTERM');
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    await proc.ended;
    clearTimeout(timer);
  }));
}

/** When to restart a crashed process, and when to stop trying. */
export interface RestartPolicy {
  /** Pause before the first restart; doubles with each crash that follows a short run. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A process that stayed up this long before it crashed starts again from `initialDelayMs`. */
  stableAfterMs: number;
  /** This many crashes within `crashWindowMs` is a crash loop: give up. */
  maxCrashes: number;
  crashWindowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
  maxCrashes: 5,
  crashWindowMs: 60_000,
};

/** Anything the supervisor can keep running: a service process, or the embedded launcher. */
export interface Supervisable {
  readonly pid: number | undefined;
  readonly ended: Promise<ExitStatus>;
  /** Why it failed, in its own words, when it said so. */
  readonly lastError: string | null;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  /** null: never restart; the first crash gives up. */
  policy: RestartPolicy | null;
  write: (line: string) => void;
  /** Called once when the process cannot be kept running; the reason is one line. */
  onGiveUp: (reason: string) => void;
  /** When given, each incarnation is checked at `url` (lib/liveness.ts); one that stops answering is killed (SIGKILL), which counts as a crash. */
  liveness?: { url: string; policy: LivenessPolicy };
}

/**
 * Keeps one process running: restarts it when it ends on its own, after a pause that doubles from
 * crash to crash (reset once it has stayed up a while), and gives up on a crash loop. `launch`
 * starts one incarnation and resolves once it is healthy, or rejects (a failed start counts as a crash).
 */
export class Supervisor<T extends Supervisable> {
  private instance: T | null = null;
  private stopping = false;
  private delayMs = 0;
  private crashes: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private launching: Promise<void> | null = null;

  constructor(readonly name: string, private readonly launch: () => Promise<T>, private readonly options: SupervisorOptions) {}

  /** The running incarnation (the last one while a restart is pending). */
  get current(): T | null {
    return this.instance;
  }

  /** Starts the first incarnation; a failure here is thrown, not retried. */
  async start(): Promise<T> {
    const instance = await this.launch();
    this.adopt(instance);
    return instance;
  }

  /** From now on an exit is expected (e.g. Ctrl-C reaches the whole process group): nothing is restarted. */
  halt(): void {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Stops the process and any pending restart. */
  async stop(): Promise<void> {
    this.halt();
    await this.launching;
    await this.instance?.stop();
  }

  private adopt(instance: T): void {
    this.instance = instance;
    const startedAt = Date.now();
    const liveness = this.options.liveness;
    const watch = liveness ? watchLiveness(liveness.url, liveness.policy, (misses) => {
      if (this.stopping || this.instance !== instance || instance.pid === undefined) return;
      const { intervalMs, timeoutMs } = liveness.policy;
      this.options.write(`reviewgraph: ${this.name} (pid ${instance.pid}) did not answer ${misses} liveness checks in a row (${timeoutMs / 1000} s each, every ${intervalMs / 1000} s): it is stopped or stuck; killing it (SIGKILL)`);
      try {
        process.kill(instance.pid, 'SIGKILL');
      } catch {
        // Already gone: its end is handled below.
      }
    }) : null;
    void instance.ended.then((status) => {
      watch?.stop();
      if (this.stopping || this.instance !== instance) return;
      // Its last error line explains an exit it chose; a signal came from outside.
      const why = `${describeExit(status)}${instance.lastError && !status.signal ? ` (${instance.lastError})` : ''}`;
      this.crashed(`${this.name} (pid ${instance.pid}) ${why}`, Date.now() - startedAt);
    });
  }

  private crashed(what: string, upMs: number): void {
    const now = Date.now();
    const policy = this.options.policy;
    if (!policy) {
      this.options.onGiveUp(what);
      return;
    }
    this.crashes = [...this.crashes.filter((at) => now - at < policy.crashWindowMs), now];
    if (this.crashes.length >= policy.maxCrashes) {
      this.stopping = true;
      this.options.onGiveUp(`${what}; that is ${this.crashes.length} crashes within ${Math.round(policy.crashWindowMs / 1000)} s, giving up`);
      return;
    }
    this.delayMs = this.delayMs === 0 || upMs >= policy.stableAfterMs ? policy.initialDelayMs : Math.min(this.delayMs * 2, policy.maxDelayMs);
    const window = Math.round(policy.crashWindowMs / 1000);
    this.options.write(`reviewgraph: ${what}; restarting it in ${this.delayMs / 1000} s (${this.crashes.length} crash${this.crashes.length > 1 ? 'es' : ''} within ${window} s; ${policy.maxCrashes} stop everything)`);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.launching = this.relaunch().finally(() => { this.launching = null; });
    }, this.delayMs);
  }

  private async relaunch(): Promise<void> {
    if (this.stopping) return;
    let instance: T;
    try {
      instance = await this.launch();
    } catch (error) {
      if (!this.stopping) this.crashed(`${this.name} failed to restart: ${(error as Error).message}`, 0);
      return;
    }
    if (this.stopping) {
      await instance.stop();
      return;
    }
    this.adopt(instance);
    this.options.write(`reviewgraph: ${this.name} is back (pid ${instance.pid})`);
  }
}
