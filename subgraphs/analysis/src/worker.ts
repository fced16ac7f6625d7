import { createServer } from 'node:http';
import { Counter } from 'prom-client';
import { connectBus } from '../../../lib/bus/index.js';
import { closeServer, listen } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { connectDatabase, databaseName } from '../../../lib/mongo.js';
import { failStartup, onShutdown } from '../../../lib/service.js';
import { reviewTopics } from '../../../lib/streams.js';
import { loadWorkerConfig } from './config.js';
import { createAnalyzer } from './nlp/index.js';
import { warmUp } from './nlp/warm-up.js';
import { AnalysisRepository } from './repositories/analysis-repository.js';
import { MentionRepository } from './repositories/mention-repository.js';
import { TaxonomyRepository } from './repositories/taxonomy-repository.js';
import { TaxonomyCache } from './services/taxonomy-cache.js';
import { ANALYSIS_CONSUMER, startAnalysisConsumer } from './services/analysis-consumer.js';

const config = loadWorkerConfig();
const log = createLogger('analysis-worker', config.LOG_LEVEL);

try {
  const analyzer = await createAnalyzer();
  const warmUpRuns = warmUp(analyzer);
  const database = await connectDatabase(config.MONGODB_URI, databaseName(config.DB_PREFIX, 'analysis'));
  const analyses = new AnalysisRepository(database);
  const mentions = new MentionRepository(database);
  await Promise.all([analyses.ensureIndexes(), mentions.ensureIndexes()]);
  const topics = reviewTopics(config.BUS_NAMESPACE);
  const bus = await connectBus({ natsUrl: config.NATS_URL, name: 'analysis-worker', log, streams: [topics.stream] });
  const consumer = await startAnalysisConsumer(bus, { analyses, mentions, analyzer, taxonomies: new TaxonomyCache(new TaxonomyRepository(database)), publisher: bus, topics, log }, { batchSize: config.WORKER_BATCH_SIZE, batchesInFlight: config.WORKER_BATCHES_IN_FLIGHT, maxDeliver: config.WORKER_MAX_DELIVER, ackWaitMs: config.WORKER_ACK_WAIT_MS });

  const metrics = createMetrics('analysis-worker');
  metrics.consumerGauges(() => bus.consumerStats(topics.stream.name, ANALYSIS_CONSUMER));
  new Counter({ name: 'reviewgraph_worker_processed_total', help: 'Messages this worker handled successfully', registers: [metrics.registry], collect() { this.reset(); this.inc(consumer.processed); } });
  new Counter({ name: 'reviewgraph_worker_dead_lettered_total', help: 'Messages this worker moved to the dead-letter stream', registers: [metrics.registry], collect() { this.reset(); this.inc(consumer.deadLettered); } });
  const server = createServer(async (req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
    } else {
      res.writeHead(404).end();
    }
  });
  const port = await listen(server, config.WORKER_METRICS_PORT);
  log.info({ metricsPort: port, modelVersion: analyzer.modelVersion, warmUpRuns }, 'analysis worker ready');
  onShutdown(log, async () => {
    await consumer.stop();
    await closeServer(server);
    await bus.close();
    await database.close();
  });
} catch (error) {
  failStartup(log, error);
}
