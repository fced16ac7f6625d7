/**
 * Node-side client of the embedded launcher (`embedded/`, built into `bin/reviewgraph-embedded` by
 * `npm install`): one Go process running FerretDB (MongoDB wire protocol) and a NATS server with
 * JetStream, both on 127.0.0.1. Used when MONGODB_URI / NATS_URL are not set.
 *
 * The child's stdin is a pipe that this process keeps open: when this process dies, the pipe closes
 * and the launcher exits (it also asks the kernel for a parent-death signal on Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExitStatus } from './supervisor.js';

export interface EmbeddedServers {
  /** e.g. `mongodb://127.0.0.1:40123/` */
  mongoUri: string;
  /** e.g. `nats://127.0.0.1:40124` */
  natsUrl: string;
  /** The launcher's process id (its CPU use is the database's and the bus's). */
  pid: number | undefined;
  /** Resolves when the launcher process ends, after it was ready: on stop(), or on its own (a crash, a kill). */
  ended: Promise<ExitStatus>;
  /** The launcher's last word on stderr (its own `embedded: ` line when it wrote one), to explain an exit. */
  readonly lastError: string | null;
  /** Stops the launcher: SIGTERM, then SIGKILL if it has not exited after 5 s. Idempotent. */
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  /** Data directory (FerretDB under `<dataDir>/ferretdb`, NATS under `<dataDir>/nats`). Default `.data/embedded` (relative to the cwd). */
  dataDir?: string;
  /** FerretDB port on 127.0.0.1; 0 or unset picks a free one. */
  mongoPort?: number;
  /** NATS port on 127.0.0.1; 0 or unset picks a free one. */
  natsPort?: number;
  /** How long to wait for READY before killing the launcher. Default 60 000 ms. */
  timeoutMs?: number;
  /** Launcher binary; default {@link embeddedBinaryPath}. */
  binaryPath?: string;
}

/** Failure to start the embedded launcher; the message says why (one line, from the launcher when it knows). */
export class EmbeddedLaunchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedLaunchError';
  }
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `<project root>/bin/reviewgraph-embedded` */
export const embeddedBinaryPath: string = resolve(
  projectRoot,
  'bin',
  process.platform === 'win32' ? 'reviewgraph-embedded.exe' : 'reviewgraph-embedded',
);

const STOP_GRACE_MS = 5_000;
const STDERR_KEEP = 16 * 1024;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    // SIGTERM lets the launcher shut down cleanly on its own; it would also exit on its stdin closing.
    for (const child of running) {
      try {
        child.kill('SIGTERM');
      } catch {
        // already gone
      }
    }
  });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

async function terminate(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(true), STOP_GRACE_MS);
  });
  const tooSlow = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (tooSlow) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** The launcher's own reason: its last line starting with `embedded: `, else its last stderr line. */
function reasonFrom(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const own = lines.filter((l) => l.startsWith('embedded: '));
  const line = own.at(-1) ?? lines.at(-1);
  return line?.replace(/^embedded: /, '');
}

/** Starts the embedded FerretDB + NATS launcher as a child process that dies with this process. */
export async function startEmbedded(opts: StartEmbeddedOptions = {}): Promise<EmbeddedServers> {
  const binary = opts.binaryPath ?? embeddedBinaryPath;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  if (!existsSync(binary)) {
    throw new EmbeddedLaunchError(
      `embedded launcher not built: run \`npm install\` (needs Go), or set MONGODB_URI and NATS_URL (looked for ${binary})`,
    );
  }

  const args = ['--data-dir', opts.dataDir ?? '.data/embedded'];
  if (opts.mongoPort) args.push('--mongo-port', String(opts.mongoPort));
  if (opts.natsPort) args.push('--nats-port', String(opts.natsPort));

  installExitHook();
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  // Never let a closed pipe crash this process; the launcher exiting is handled through 'exit'.
  child.stdin?.on('error', () => {});
  // The child must not keep this process alive by itself; stop() or process exit ends it.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) {
    (s as unknown as { unref?: () => void } | null)?.unref?.();
  }

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });

  const found: { mongoUri?: string; natsUrl?: string } = {};
  try {
    await new Promise<void>((resolveReady, rejectReady) => {
      let buffered = '';
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        if (err) rejectReady(err);
        else resolveReady();
      };
      const onData = (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line.startsWith('MONGODB_URI=')) found.mongoUri = line.slice('MONGODB_URI='.length);
          else if (line.startsWith('NATS_URL=')) found.natsUrl = line.slice('NATS_URL='.length);
          else if (line === 'READY') {
            if (found.mongoUri && found.natsUrl) finish();
            else finish(new EmbeddedLaunchError('embedded launcher said READY without MONGODB_URI and NATS_URL'));
            return;
          }
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        // Let the last stderr bytes arrive before reading the reason.
        const report = () => {
          const why = reasonFrom(stderr) ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
          finish(new EmbeddedLaunchError(`embedded launcher failed to start: ${why}`));
        };
        if (child.stderr && !child.stderr.readableEnded) {
          child.stderr.once('end', report);
          setTimeout(report, 500).unref();
        } else report();
      };
      const onError = (err: Error) => {
        finish(new EmbeddedLaunchError(`embedded launcher could not be run (${binary}): ${err.message}`, { cause: err }));
      };
      const timer = setTimeout(() => {
        const why = reasonFrom(stderr);
        finish(
          new EmbeddedLaunchError(
            `embedded launcher not ready after ${timeoutMs} ms${why ? `: ${why}` : ''}`,
          ),
        );
      }, timeoutMs);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  } catch (err) {
    await terminate(child);
    throw err;
  }

  // Keep draining stdout so the launcher never blocks on a full pipe.
  child.stdout?.resume();
  const ended = new Promise<ExitStatus>((resolveEnded) => {
    if (hasExited(child)) resolveEnded({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolveEnded({ code, signal }));
  });

  let stopping: Promise<void> | undefined;
  return {
    mongoUri: found.mongoUri!,
    natsUrl: found.natsUrl!,
    pid: child.pid,
    ended,
    get lastError() {
      // Only its own fatal line: its other stderr lines are the servers' warnings.
      const own = stderr.split('\n').filter((l) => l.startsWith('embedded: ')).at(-1);
      return own ? own.slice('embedded: '.length).trim() : null;
    },
    stop() {
      stopping ??= terminate(child);
      return stopping;
    },
  };
}
