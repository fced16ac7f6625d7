import { spawn, type ChildProcess } from 'node:child_process';

/** How one importer run ended, with all it wrote. */
export interface ImportRun { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/**
 * Starts the importer (`npm run import`, scripts/import.ts) with `args` as its own process, sending to
 * `gatewayUrl` with `apiKey`; `done` resolves once it has ended and all its output is read.
 */
export function startImportCli(args: string[], target: { gatewayUrl: string; apiKey: string }): { child: ChildProcess; done: Promise<ImportRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, GATEWAY_URL: target.gatewayUrl, REVIEWGRAPH_API_KEY: target.apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<ImportRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
