import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { generatedReview } from './generated-reviews.js';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');

export interface ImportRun {
  rows: number;
  /** Rows/s over the importer's whole run (start-up and stream included). */
  rate: number;
  /** The importer's peak resident set, from its own `--json-summary`. */
  peakRssBytes: number;
  /** submitReviews calls the importer keeps open at once (its default), from its summary. */
  concurrency: number;
}

/**
 * Writes `rows` generated reviews to a JSONL file in the shape of a partner export (productId,
 * rating, title, text, author, locale, createdAt, externalId) and imports it with `npm run import`
 * (scripts/import.ts, through the gateway with `apiKey`); every row must be imported.
 */
export async function measureImportCli(gatewayUrl: string, apiKey: string, opts: { run: string; rows: number; productIds: readonly string[] }): Promise<ImportRun> {
  const dir = await mkdtemp(join(tmpdir(), 'reviewgraph-bench-import-'));
  try {
    const file = join(dir, `${opts.run}.jsonl`);
    const out = createWriteStream(file);
    for (let i = 0; i < opts.rows; i++) {
      const { productId, rating, title, text, author, locale, createdAt, externalId } = generatedReview(opts.run, i, opts.productIds);
      if (!out.write(`${JSON.stringify({ productId, rating, title, text, author, locale, createdAt, externalId })}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const summaryFile = join(dir, 'summary.json');
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', tsxLoader, 'scripts/import.ts', file, '--source', `bench-import-${opts.run}`, '--format', 'jsonl', '--no-progress', '--json-summary', summaryFile], {
      env: { ...process.env, REVIEWGRAPH_API_KEY: apiKey, GATEWAY_URL: gatewayUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2_000); });
    const [code] = (await once(child, 'exit')) as [number | null];
    const seconds = (performance.now() - started) / 1000;
    const summary = JSON.parse(await readFile(summaryFile, 'utf8').catch(() => '{}')) as { imported?: number; duplicates?: number; peakRssBytes?: number; concurrency?: number };
    if (code !== 0 || summary.imported !== opts.rows) throw new Error(`npm run import exited ${code} having imported ${summary.imported ?? 0} of ${opts.rows} rows: ${stderr.trim().slice(-500)}`);
    return { rows: opts.rows, rate: opts.rows / seconds, peakRssBytes: summary.peakRssBytes ?? 0, concurrency: summary.concurrency ?? 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
