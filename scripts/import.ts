import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { parseEnv } from '../lib/config.js';
import { SOURCE_KINDS, SOURCE_NAME_PATTERN } from '../subgraphs/collection/src/models/source.js';
import { importIdentity, readCheckpoint, removeCheckpoint, type ImportCounts } from './import/checkpoint.js';
import { parseMapOption, resolveColumns } from './import/column-map.js';
import { dateReader } from './import/date-format.js';
import { dataStart, guessDelimiter, readCsvHeader, UnreadableFile, type Format } from './import/file-rows.js';
import { GatewayClient, GatewayRefused, GatewayUnavailable } from './import/gateway-client.js';
import { runImport, type ImportPlan } from './import/importer.js';
import { RejectionReport } from './import/rejection-report.js';

const usage = `usage: npm run import -- FILE --source NAME [options]
  --format csv|jsonl        default: from the file name (.jsonl/.ndjson: jsonl), else csv
  --map field=column,...    fields: product, rating, title, text, author, locale, date, externalId, syndicatedFrom
  --date-format F           auto (default: ISO-8601, or Unix seconds/milliseconds), iso, unix, unix-ms, or a pattern like DD/MM/YYYY HH:mm
  --rating-scale N          ratings are out of N (default 5); converted to the nearest of 1-5 stars
  --product ID|SKU          the product of rows that name none
  --source-kind KIND        kind of the source if the import creates it (default IMPORT)
  --delimiter C             CSV delimiter (default: guessed from the header: , ; or tab)
  --batch-size N            reviews per submitReviews call (default 500, at most 500)
  --concurrency N           batches in flight at once, 1 to 16 (default 4); reading waits while they are
  --report FILE             rejected rows (default FILE.rejected.csv)
  --checkpoint FILE         where the import records its progress (default FILE.import-checkpoint.json)
  --restart                 ignore a checkpoint and start from the first row
  --json-summary FILE       also write the summary as JSON
  --no-progress             no progress bar
env: REVIEWGRAPH_API_KEY (a key with the write scope, required), GATEWAY_URL (default http://127.0.0.1:4000/graphql)
exit: 0 all rows stored, 1 some rows rejected, 2 bad usage or a file/key that cannot be used, 3 stopped (Ctrl-C, gateway down): run it again to resume`;

const EXIT = { ok: 0, rejected: 1, usage: 2, stopped: 3 } as const;

function fail(message: string, code: number = EXIT.usage): never {
  process.stderr.write(`import: ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      source: { type: 'string' }, format: { type: 'string' }, map: { type: 'string' }, 'date-format': { type: 'string' },
      'rating-scale': { type: 'string' }, product: { type: 'string' }, 'source-kind': { type: 'string' }, delimiter: { type: 'string' },
      'batch-size': { type: 'string' }, concurrency: { type: 'string' }, report: { type: 'string' }, checkpoint: { type: 'string' },
      restart: { type: 'boolean' }, 'json-summary': { type: 'string' }, 'no-progress': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(`give exactly one file to import\n${usage}`);
if (!values.source) fail(`--source NAME is required: the source every row of the file comes from\n${usage}`);
if (!SOURCE_NAME_PATTERN.test(values.source)) fail('--source is 1 to 64 letters, digits and : . _ - e.g. import:legacy-shop');
const sourceKind = values['source-kind'] ?? 'IMPORT';
if (!(SOURCE_KINDS as readonly string[]).includes(sourceKind)) fail(`--source-kind is one of ${SOURCE_KINDS.join(', ')}`);
const integer = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
};
const batchSize = integer('batch-size', values['batch-size'], 500, 1, 500);
const concurrency = integer('concurrency', values.concurrency, 4, 1, 16);
const ratingScale = Number(values['rating-scale'] ?? 5);
if (!Number.isFinite(ratingScale) || ratingScale <= 0) fail('--rating-scale must be a positive number, e.g. 10 or 100');

const path = resolve(positionals[0]!);
if (!existsSync(path) || !statSync(path).isFile()) fail(`${positionals[0]} is not a file`);
const format: Format = (values.format ?? (/\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv')) as Format;
if (format !== 'csv' && format !== 'jsonl') fail('--format is csv or jsonl');
if (values.delimiter !== undefined && (values.delimiter.length !== 1 || /["\r\n]/.test(values.delimiter))) fail('--delimiter is one character (not a quote or newline)');

const config = parseEnv('import', z.object({
  REVIEWGRAPH_API_KEY: z.string().min(1, 'set it to an API key with the write scope'),
  GATEWAY_URL: z.url().default('http://127.0.0.1:4000/graphql'),
}));

let readDate;
let explicitMap;
try {
  readDate = dateReader(values['date-format'] ?? 'auto');
  explicitMap = parseMapOption(values.map);
} catch (error) {
  fail((error as Error).message);
}

const reportPath = resolve(values.report ?? `${path}.rejected.csv`);
const checkpointPath = resolve(values.checkpoint ?? `${path}.import-checkpoint.json`);
const abort = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals) => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  process.stderr.write(`\nimport: ${signal}: finishing the batches in flight; the checkpoint keeps the place (press Ctrl-C again to quit at once; a rerun resumes either way)\n`);
  abort.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const started = Date.now();
let exitCode: number = EXIT.ok;
let summary: Record<string, unknown> = {};
try {
  const delimiter = values.delimiter ?? (format === 'csv' ? await guessDelimiter(path) : ',');
  const header = format === 'csv' ? await readCsvHeader(path, delimiter) : null;
  const startOffset = format === 'csv' ? header?.offset ?? 0 : await dataStart(path);
  const startLine = header?.line ?? 1;
  let columns = {};
  if (format === 'csv' && header) {
    try {
      columns = resolveColumns(header.columns, explicitMap);
    } catch (error) {
      fail((error as Error).message);
    }
    const missing = (['rating', 'text'] as const).filter((f) => !(f in columns));
    if (!values.product && !('product' in columns)) missing.unshift('product' as never);
    if (missing.length > 0) {
      fail(`the header (${header.columns.slice(0, 12).map((c) => c.slice(0, 40)).join(', ')}) has no column for ${missing.join(', ')}: name it with --map ${missing[0]}=COLUMN${format === 'csv' && header.columns.length === 1 ? ' (is this a CSV file? its first line has one column)' : ''}`);
    }
  } else {
    columns = explicitMap;
  }
  const settings = { format, delimiter, source: values.source, map: explicitMap, dateFormat: values['date-format'] ?? 'auto', ratingScale, product: values.product ?? null };
  const identity = await importIdentity(path, settings);
  let resumeFrom = values.restart ? null : await readCheckpoint(checkpointPath);
  if (resumeFrom && resumeFrom.identity !== identity) {
    fail(`${checkpointPath} belongs to another import (another file, or other --source/--map/--format/--date-format options): remove it, or pass --restart to import this file from its first row`);
  }
  if (values.restart) await removeCheckpoint(checkpointPath);
  if (resumeFrom && !existsSync(reportPath)) resumeFrom = { ...resumeFrom, reportBytes: 0 };
  if (header === null && format === 'csv') {
    process.stdout.write(`${positionals[0]} is empty: nothing to import\n`);
    summary = { rows: 0, imported: 0, duplicates: 0, rejected: 0, pending: 0, rowsThisRun: 0, seconds: 0, rowsPerSecond: 0, finished: true };
  } else {
    const client = new GatewayClient(config.GATEWAY_URL, config.REVIEWGRAPH_API_KEY, abort.signal);
    const source = await client.ensureSource(values.source, sourceKind);
    if (source.created) process.stdout.write(`created source ${source.name} (${source.kind})\n`);
    const plan: ImportPlan = {
      path,
      reading: { format, delimiter, columns: header?.columns ?? null, offset: resumeFrom?.offset ?? startOffset, line: resumeFrom?.line ?? startLine },
      mapping: { columns, perRow: format === 'jsonl', source: values.source, defaultProduct: values.product ?? null, ratingScale, readDate },
      batchSize, concurrency, checkpointPath, identity, resumeFrom, runId: resumeFrom?.runId ?? randomUUID(),
    };
    if (resumeFrom) process.stdout.write(`resuming at line ${resumeFrom.line} (byte ${resumeFrom.offset}); ${resumeFrom.counts.rows} rows were done before\n`);
    const report = await RejectionReport.open(reportPath, resumeFrom && resumeFrom.reportBytes > 0 ? resumeFrom.reportBytes : null);
    const size = statSync(path).size;
    const bar = values['no-progress'] || !process.stderr.isTTY ? null : new cliProgress.SingleBar({
      format: 'import [{bar}] {percentage}% | {rows} rows | {speed} rows/s | {rejected} rejected | ETA {eta_formatted}',
      stream: process.stderr, hideCursor: true, etaBuffer: 50,
    }, cliProgress.Presets.shades_classic);
    const firstRows = resumeFrom?.counts.rows ?? 0;
    bar?.start(size, plan.reading.offset, { rows: firstRows, speed: 0, rejected: resumeFrom?.counts.rejected ?? 0 });
    let outcome;
    try {
      outcome = await runImport(plan, client, report, abort.signal, ({ bytes, counts }) => {
        const seconds = (Date.now() - started) / 1000;
        bar?.update(bytes, { rows: counts.rows, speed: Math.round((counts.rows - firstRows) / Math.max(seconds, 0.001)), rejected: counts.rejected });
      });
    } finally {
      bar?.stop();
      await report.close();
    }
    const seconds = (Date.now() - started) / 1000;
    const rowsPerSecond = Math.round(outcome.rowsThisRun / Math.max(seconds, 0.001));
    summary = { ...outcome.counts, rowsThisRun: outcome.rowsThisRun, batchSize, concurrency, seconds: Number(seconds.toFixed(3)), rowsPerSecond, finished: outcome.finished, report: outcome.counts.rejected > 0 ? reportPath : null, resumeAt: outcome.finished ? null : outcome.stoppedAt };
    if (outcome.finished) await removeCheckpoint(checkpointPath);
    else exitCode = EXIT.stopped;
    const line = describe(outcome.counts);
    process.stdout.write(outcome.finished
      ? `${line}; ${outcome.rowsThisRun} rows in ${seconds.toFixed(1)} s (${rowsPerSecond} rows/s)\n`
      : `stopped at line ${outcome.stoppedAt.line}: ${line} so far; run the same command again to resume\n`);
    if (outcome.counts.rejected > 0) {
      process.stdout.write(`${outcome.counts.rejected} rows rejected: see ${reportPath} (line, field, code, reason)\n`);
      if (exitCode === EXIT.ok) exitCode = EXIT.rejected;
    }
  }
} catch (error) {
  if (error instanceof UnreadableFile || error instanceof GatewayRefused) fail(error.message, EXIT.usage);
  if (error instanceof GatewayUnavailable) {
    exitCode = EXIT.stopped;
    process.stderr.write(`import: ${error.message}; stopped after the last acknowledged batch: run the same command again to resume\n`);
  } else {
    exitCode = EXIT.stopped;
    process.stderr.write(`import: stopped: ${(error as Error).message}; run the same command again to resume\n`);
  }
}
if (values['json-summary']) await writeFile(values['json-summary'], `${JSON.stringify({ ...summary, exitCode, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
process.exit(exitCode);

function describe(counts: ImportCounts): string {
  const parts = [`${counts.imported} imported`, `${counts.duplicates} already stored`, `${counts.rejected} rejected`];
  if (counts.pending > 0) parts.push(`${counts.pending} stored and waiting to be published`);
  return `${counts.rows} rows: ${parts.join(', ')}`;
}
