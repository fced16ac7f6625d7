import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { connectBus } from '../lib/bus/index.js';
import { parseEnv } from '../lib/config.js';
import { resolveEndpoints } from '../lib/endpoints.js';
import { createLogger } from '../lib/logger.js';
import { connectDatabase, databaseName } from '../lib/mongo.js';
import { reviewTopics } from '../lib/streams.js';
import { MODEL_VERSION } from '../subgraphs/analysis/src/nlp/index.js';
import { AnalysisRepository } from '../subgraphs/analysis/src/repositories/analysis-repository.js';
import { requestReanalysis } from '../subgraphs/analysis/src/services/reanalysis.js';

const usage = 'usage: npm run reanalyze -- [--rate N per second, default 200]';
const { values } = parseArgs({ options: { rate: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(`${usage}\nRe-analyses, in the background, every review whose analysis came from a model older than ${MODEL_VERSION}.\n`);
  process.exit(0);
}
const rate = Number(values.rate ?? 200);
if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000) {
  process.stderr.write(`--rate must be a number from 1 to 10000\n${usage}\n`);
  process.exit(2);
}
const config = parseEnv('reanalyze', z.object({
  DB_PREFIX: z.string().default('reviewgraph'),
  BUS_NAMESPACE: z.string().default(''),
  LOG_LEVEL: z.string().default('warn'),
}));
const log = createLogger('reanalyze', config.LOG_LEVEL);

try {
  const endpoints = resolveEndpoints();
  const database = await connectDatabase(endpoints.mongoUri, databaseName(config.DB_PREFIX, 'analysis'));
  const topics = reviewTopics(config.BUS_NAMESPACE);
  const bus = await connectBus({ natsUrl: endpoints.natsUrl, name: 'reanalyze', log, streams: [topics.stream] });
  const analyses = new AnalysisRepository(database);
  // Resuming needs no checkpoint: what is still outdated is what is left to do, and a request sent
  // twice is deduplicated by its id (or found current by the worker).
  const total = await analyses.countOutdated(MODEL_VERSION);
  process.stdout.write(`${total} analyses come from a model older than ${MODEL_VERSION}\n`);
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  const bar = new cliProgress.SingleBar({ format: 're-analysis requests [{bar}] {value}/{total} | {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  const result = await requestReanalysis({ analyses, bus, topics, log }, {
    targetVersion: MODEL_VERSION,
    maxPerSecond: rate,
    signal: abort.signal,
    onProgress: ({ requested }) => bar.update(Math.min(requested, total)),
  });
  bar.stop();
  process.stdout.write(abort.signal.aborted
    ? `stopped after ${result.requested} requests; run it again to continue with what is still outdated\n`
    : `${result.requested} reviews queued for re-analysis; the workers pick them up between new reviews, and insights follow their results\n`);
  await bus.close();
  await database.close();
} catch (error) {
  process.stderr.write(`reanalyze failed: ${(error as Error).message}\n`);
  process.exit(1);
}
