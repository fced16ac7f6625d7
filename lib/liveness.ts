/**
 * Liveness: whether a process still answers at all. A process that is stopped (SIGSTOP) or whose event
 * loop is stuck never exits, so only asking it notices. Any HTTP answer counts, even a 404 or a 503: a
 * process whose database is down is alive and must not be killed for it (its /health says so, and waits
 * on the database), so the probe asks for a path no route serves and that every server answers at once.
 */
export interface LivenessPolicy {
  /** Pause between one check's end and the next check. */
  intervalMs: number;
  /** A check not answered within this is a miss. */
  timeoutMs: number;
  /** This many misses in a row: the process is taken for wedged. */
  failures: number;
}

export const DEFAULT_LIVENESS: LivenessPolicy = { intervalMs: 5_000, timeoutMs: 5_000, failures: 3 };

/** The policy from `LIVENESS_INTERVAL_MS`, `LIVENESS_TIMEOUT_MS` and `LIVENESS_FAILURES`; null (no checks) when `LIVENESS_FAILURES=0`. */
export function livenessFromEnv(env: NodeJS.ProcessEnv = process.env): LivenessPolicy | null {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, got ${JSON.stringify(raw)}`);
    return value;
  };
  const failures = read('LIVENESS_FAILURES', DEFAULT_LIVENESS.failures, 0);
  if (failures === 0) return null;
  return { intervalMs: read('LIVENESS_INTERVAL_MS', DEFAULT_LIVENESS.intervalMs, 100), timeoutMs: read('LIVENESS_TIMEOUT_MS', DEFAULT_LIVENESS.timeoutMs, 100), failures };
}

/** The probe address beside a health URL: same server, a path nothing serves. */
export function livenessUrl(healthUrl: string): string {
  return new URL('/liveness-probe', healthUrl).href;
}

async function answers(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

export interface LivenessWatch { stop(): void }

/**
 * Checks `url` until stopped, and calls `onWedged` once after `failures` misses in a row. Time this
 * process itself lost does not count against the other: a check or a pause that took far longer than
 * it can (this process was stopped or starved, as when a whole process tree is stopped) starts the
 * count again instead.
 */
export function watchLiveness(url: string, policy: LivenessPolicy, onWedged: (misses: number) => void): LivenessWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let misses = 0;
  const slack = policy.intervalMs;
  const check = async () => {
    const started = Date.now();
    const ok = await answers(url, policy.timeoutMs);
    if (stopped) return;
    if (ok) misses = 0;
    else if (Date.now() - started > policy.timeoutMs + slack) misses = 0;
    else misses++;
    if (misses >= policy.failures) {
      stopped = true;
      onWedged(misses);
      return;
    }
    schedule();
  };
  const schedule = () => {
    const at = Date.now();
    timer = setTimeout(() => {
      timer = null;
      if (Date.now() - at > policy.intervalMs + slack) misses = 0;
      void check();
    }, policy.intervalMs);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
