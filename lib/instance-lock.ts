/**
 * One `npm start` per data folder: `<dataDir>/reviewgraph.lock` holds the owner's pid and where it
 * serves. A lock whose process is gone (a kill -9, a power cut) is stale and taken over.
 */
import { linkSync, renameSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface LockOwner {
  pid: number;
  /** The kernel's start time of `pid` (Linux), so a recycled pid is not taken for the owner. */
  processStart: string | null;
  startedAt: string;
  gatewayUrl: string;
  ports: Record<string, number>;
}

export interface InstanceLock {
  readonly file: string;
  /** Rewrites the lock's contents (e.g. once the launcher's URLs are known). */
  update(details: Partial<Omit<LockOwner, 'pid' | 'processStart'>> & Record<string, unknown>): void;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

/** Thrown when another live process holds the lock; the message is one line naming it. */
export class AlreadyRunningError extends Error {
  constructor(readonly owner: LockOwner, dataDir: string) {
    super(`already running on ${dataDir}: pid ${owner.pid} since ${owner.startedAt}, gateway ${owner.gatewayUrl} (ports ${Object.entries(owner.ports).map(([name, port]) => `${name} ${port}`).join(', ')}); stop it first or use another data folder`);
    this.name = 'AlreadyRunningError';
  }
}

const lockFile = (dataDir: string) => resolve(dataDir, 'reviewgraph.lock');

/** Field 22 of /proc/<pid>/stat, or null where there is no /proc. */
function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStartOf(owner.pid);
  return owner.processStart === null || start === null || start === owner.processStart;
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return Number.isInteger(parsed.pid) ? parsed : null;
  } catch {
    return null;
  }
}

/** Takes the data folder's lock for this process, or throws {@link AlreadyRunningError}. */
export function acquireInstanceLock(dataDir: string, details: Omit<LockOwner, 'pid' | 'processStart' | 'startedAt'>): InstanceLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  let contents: Record<string, unknown> = { pid: process.pid, processStart: processStartOf(process.pid), startedAt: new Date().toISOString(), ...details };
  for (let attempt = 0; ; attempt++) {
    // Written aside, then linked into place: link fails when the lock exists, and a reader never sees it half written.
    const aside = `${file}.${process.pid}`;
    writeFileSync(aside, `${JSON.stringify(contents, null, 2)}\n`);
    try {
      linkSync(aside, file);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner && isAlive(owner)) throw new AlreadyRunningError(owner, dataDir);
      if (attempt > 0) throw new Error(`cannot take the lock ${file}: another start is taking it at the same time`);
      rmSync(file, { force: true });
    } finally {
      rmSync(aside, { force: true });
    }
  }
  const ours = () => readOwner(file)?.pid === process.pid;
  return {
    file,
    update(more) {
      if (!ours()) return;
      contents = { ...contents, ...more };
      const aside = `${file}.${process.pid}`;
      writeFileSync(aside, `${JSON.stringify(contents, null, 2)}\n`);
      renameSync(aside, file);
    },
    release() {
      if (ours()) rmSync(file, { force: true });
    },
  };
}
