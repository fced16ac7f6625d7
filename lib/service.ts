import type { Logger } from './logger.js';

/** Runs `stop` once on SIGTERM or SIGINT, then exits; a second signal exits at once. */
export function onShutdown(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  stopWithSupervisor(stop);
}

/**
 * Under `npm start` (which sets REVIEWGRAPH_SUPERVISOR_PID), stops when the supervisor is gone, e.g.
 * killed with SIGKILL: an orphan would keep its port and block the next start.
 */
function stopWithSupervisor(stop: () => Promise<void>): void {
  const supervisor = Number(process.env.REVIEWGRAPH_SUPERVISOR_PID);
  if (!Number.isInteger(supervisor) || supervisor <= 0) return;
  // When its parent dies, a process is handed to another one (init or a subreaper): its ppid changes.
  const timer = setInterval(() => {
    if (process.ppid === supervisor) return;
    clearInterval(timer);
    // Its stdout died with the supervisor, and pino's flush at a normal exit retries a broken pipe
    // forever: stop what can be stopped within 5 s, then end without that flush.
    const end = () => process.kill(process.pid, 'SIGKILL');
    setTimeout(end, 5_000).unref();
    stop().then(end, end);
  }, 1_000);
  timer.unref();
}

/** Logs a startup failure as one line and exits 1. */
export function failStartup(log: Logger, error: unknown): never {
  log.fatal({ err: error }, `failed to start: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
}
