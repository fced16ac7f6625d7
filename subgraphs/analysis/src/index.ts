import { closeServer, listen } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { connectDatabase, databaseName } from '../../../lib/mongo.js';
import { failStartup, onShutdown } from '../../../lib/service.js';
import { loadAnalysisConfig } from './config.js';
import { createAnalyzer } from './nlp/index.js';
import { createServer } from './server.js';

const config = loadAnalysisConfig();
const log = createLogger('analysis', config.LOG_LEVEL);

try {
  const analyzer = await createAnalyzer();
  const database = await connectDatabase(config.MONGODB_URI, databaseName(config.DB_PREFIX, 'analysis'));
  const { http, apollo } = await createServer({ database, analyzer, log, internalSecret: config.INTERNAL_SECRET, metrics: createMetrics('analysis') });
  const port = await listen(http, config.ANALYSIS_PORT);
  log.info({ port, modelVersion: analyzer.modelVersion }, 'analysis subgraph ready');
  onShutdown(log, async () => {
    await closeServer(http);
    await apollo.stop();
    await database.close();
  });
} catch (error) {
  failStartup(log, error);
}
