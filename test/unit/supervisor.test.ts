import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Supervisor, type ExitStatus, type RestartPolicy, type Supervisable } from '../../lib/supervisor.js';

const policy: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 1_500, maxCrashes: 5, crashWindowMs: 20_000 };

/** A real process that lives `lifeMs`, then exits with `code` (or is killed by `signal`). */
function short(lifeMs: number, end: { code?: number; signal?: NodeJS.Signals }): Supervisable {
  const script = end.signal ? `setTimeout(() => process.kill(process.pid, '${end.signal}'), ${lifeMs})` : `setTimeout(() => process.exit(${end.code}), ${lifeMs})`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const ended = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { pid: child.pid, ended, lastError: null, stop: async () => { child.kill('SIGKILL'); await ended; } };
}

function supervise(lives: Array<() => Supervisable>) {
  const lines: string[] = [];
  const launches: number[] = [];
  let gaveUp: string | null = null;
  let n = 0;
  const done = new Promise<void>((resolve) => {
    const supervisor = new Supervisor('victim', async () => {
      launches.push(Date.now());
      return lives[Math.min(n++, lives.length - 1)]!();
    }, { policy, write: (l) => lines.push(l), onGiveUp: (reason) => { gaveUp = reason; resolve(); } });
    void supervisor.start();
  });
  return { lines, launches, done, gaveUp: () => gaveUp };
}

describe('Supervisor', () => {
  it('restarts a crashing process with a doubling pause, names the signal, and gives up on the fifth crash within the window', async () => {
    const run = supervise([() => short(50, { signal: 'SIGKILL' }), () => short(50, { code: 3 })]);
    await run.done;
    const restarts = run.lines.filter((l) => l.includes('restarting it in'));
    expect(restarts[0]).toMatch(/^reviewgraph: victim \(pid \d+\) killed by SIGKILL; restarting it in 0.1 s/);
    expect(run.lines[1]).toMatch(/^reviewgraph: victim is back \(pid \d+\)$/);
    expect(restarts[1]).toMatch(/^reviewgraph: victim \(pid \d+\) exited with code 3; restarting it in 0.2 s/);
    expect(run.lines.filter((l) => l.includes('restarting it in')).map((l) => l.match(/in ([\d.]+) s/)![1])).toEqual(['0.1', '0.2', '0.4', '0.4']);
    expect(run.launches).toHaveLength(5);
    const gaps = run.launches.slice(1).map((at, i) => at - run.launches[i]!);
    [100, 200, 400, 400].forEach((pause, i) => expect(gaps[i]).toBeGreaterThanOrEqual(pause));
    expect(run.gaveUp()).toMatch(/^victim \(pid \d+\) exited with code 3; that is 5 crashes within 20 s, giving up$/);
  }, 30_000);

  it('starts again from the first pause once the process has stayed up a while', async () => {
    const run = supervise([() => short(50, { code: 1 }), () => short(50, { code: 1 }), () => short(1_700, { code: 1 }), () => short(50, { code: 1 })]);
    await run.done;
    expect(run.lines.filter((l) => l.includes('restarting it in')).map((l) => l.match(/in ([\d.]+) s/)![1])).toEqual(['0.1', '0.2', '0.1', '0.2']);
  }, 30_000);

  it('counts a restart that fails to start as a crash', async () => {
    let n = 0;
    const lines: string[] = [];
    const reason = await new Promise<string>((resolve) => {
      const supervisor = new Supervisor('victim', async () => {
        if (n++ === 0) return short(50, { code: 1 });
        throw new Error('victim exited with code 1 before it became healthy: port in use');
      }, { policy, write: (l) => lines.push(l), onGiveUp: resolve });
      void supervisor.start();
    });
    expect(lines.slice(1).every((l) => l.startsWith('reviewgraph: victim failed to restart: victim exited with code 1 before it became healthy: port in use; restarting it in'))).toBe(true);
    expect(reason).toMatch(/^victim failed to restart: .*; that is 5 crashes within 20 s, giving up$/);
  }, 30_000);
});
