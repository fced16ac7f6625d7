import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { parseEnv } from '../lib/config.js';
import { resolveEndpoints } from '../lib/endpoints.js';
import { connectDatabase, databaseName } from '../lib/mongo.js';
import { InsightsRepository } from '../subgraphs/applications/src/repositories/insights-repository.js';
import { ReviewStateRepository } from '../subgraphs/applications/src/repositories/review-state-repository.js';
import { rebuildInsights } from '../subgraphs/applications/src/services/insights-rebuild.js';

const usage = 'usage: npm run rebuild-insights -- [--restart]';
const { values } = parseArgs({ options: { restart: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(`${usage}\nRecomputes every product's insights and daily trend buckets from scratch, from the review states the\napplications subgraph keeps. Resumable: after Ctrl-C or a crash, run it again to continue with the next\nproduct (--restart starts over). Stop the applications subgraph (its insights consumer) first.\n`);
  process.exit(0);
}
const config = parseEnv('rebuild-insights', z.object({ DB_PREFIX: z.string().default('reviewgraph') }));

try {
  const endpoints = resolveEndpoints();
  const database = await connectDatabase(endpoints.mongoUri, databaseName(config.DB_PREFIX, 'applications'));
  const insights = new InsightsRepository(database);
  const states = new ReviewStateRepository(database);
  const total = await states.collection.estimatedDocumentCount();
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  const bar = new cliProgress.SingleBar({ format: 'rebuilding insights [{bar}] {value}/{total} review versions | {products} products | {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { products: 0 });
  const result = await rebuildInsights({ insights, states }, {
    restart: values.restart === true,
    signal: abort.signal,
    onProgress: (p) => bar.update(Math.min(p.reviews, total), { products: p.products }),
  });
  bar.stop();
  process.stdout.write(result.done
    ? `rebuilt the insights of ${result.products} products from ${result.reviews} review versions\n`
    : `stopped after ${result.products} products; run it again to continue\n`);
  await database.close();
} catch (error) {
  process.stderr.write(`rebuild-insights failed: ${(error as Error).message}\n`);
  process.exit(1);
}
