import { connectBus } from '../../../lib/bus/index.js';
import { closeServer, listen } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { connectDatabase, databaseName } from '../../../lib/mongo.js';
import { failStartup, onShutdown } from '../../../lib/service.js';
import { reviewTopics } from '../../../lib/streams.js';
import { loadCollectionConfig } from './config.js';
import { createServer } from './server.js';
import { startOutboxSweeper } from './services/outbox-sweeper.js';
import { COLLECTION_CONSUMER, startRatingSentimentConsumer } from './services/rating-sentiment-consumer.js';

const config = loadCollectionConfig();
const log = createLogger('collection', config.LOG_LEVEL);

try {
  const database = await connectDatabase(config.MONGODB_URI, databaseName(config.DB_PREFIX, 'collection'));
  const topics = reviewTopics(config.BUS_NAMESPACE);
  const bus = await connectBus({ natsUrl: config.NATS_URL, name: 'collection', log, streams: [topics.stream] });
  const metrics = createMetrics('collection');
  const { http, apollo, services } = await createServer({ database, publisher: bus, topics, log, internalSecret: config.INTERNAL_SECRET, metrics });
  const sweeper = startOutboxSweeper(services, { intervalMs: config.OUTBOX_SWEEP_INTERVAL_MS, olderThanMs: config.OUTBOX_SWEEP_AGE_MS });
  const analysed = await startRatingSentimentConsumer(bus, services);
  metrics.consumerGauges(() => bus.consumerStats(topics.stream.name, COLLECTION_CONSUMER));
  const port = await listen(http, config.COLLECTION_PORT);
  log.info({ port }, 'collection subgraph ready');
  onShutdown(log, async () => {
    await closeServer(http);
    await analysed.stop();
    await sweeper.stop();
    await apollo.stop();
    await bus.close();
    await database.close();
  });
} catch (error) {
  failStartup(log, error);
}
