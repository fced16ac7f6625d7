import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tsxLoader = require.resolve('tsx');

export interface ProcessSpec { name: string; entry: string; env: Record<string, string>; nodeFlags?: string[] }

export interface RunningProcess {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The message of the last error or fatal log line the process wrote, to explain an early exit. */
  readonly lastError: string | null;
}

/** With REVIEWGRAPH_CPU_PROFILE_DIR set, every started process writes a V8 CPU profile there when it exits. */
function cpuProfileArgs(): string[] {
  const dir = process.env.REVIEWGRAPH_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts a TypeScript entry point as its own Node process, prefixing each output line with its name. */
export function startProcess(spec: ProcessSpec, write: (line: string) => void): RunningProcess {
  const child = spawn(process.execPath, [...cpuProfileArgs(), ...(spec.nodeFlags ?? []), '--import', tsxLoader, spec.entry], {
    env: { ...process.env, ...spec.env },
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { spec, child, exited, get lastError() { return lastError; } };
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
  let exited = false;
  void proc.exited.then(() => { exited = true; });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.spec.name} exited before it became healthy: ${proc.lastError ?? 'see its log lines above'}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) return;
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
    await proc.exited;
    clearTimeout(timer);
  }));
}
