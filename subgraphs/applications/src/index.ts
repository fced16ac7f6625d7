import { connectBus } from '../../../lib/bus/index.js';
import { closeServer, listen } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { connectDatabase, databaseName } from '../../../lib/mongo.js';
import { failStartup, onShutdown } from '../../../lib/service.js';
import { reviewTopics } from '../../../lib/streams.js';
import { loadApplicationsConfig } from './config.js';
import { alertTopics } from './events.js';
import { AlertEventOutboxRepository } from './repositories/alert-event-outbox-repository.js';
import { createServer } from './server.js';
import { AlertEvents } from './services/alert-events.js';
import { APPLICATIONS_CONSUMER, startInsightsConsumer } from './services/insights-consumer.js';

const config = loadApplicationsConfig();
const log = createLogger('applications', config.LOG_LEVEL);

try {
  const database = await connectDatabase(config.MONGODB_URI, databaseName(config.DB_PREFIX, 'applications'));
  const metrics = createMetrics('applications');
  const { http, apollo, insights, states, alerts } = await createServer({ database, log, internalSecret: config.INTERNAL_SECRET, metrics, webhookUrls: { allowLoopback: config.WEBHOOKS_ALLOW_LOOPBACK } });
  const topics = reviewTopics(config.BUS_NAMESPACE);
  const alertsTopics = alertTopics(config.BUS_NAMESPACE);
  const bus = await connectBus({ natsUrl: config.NATS_URL, name: 'applications', log, streams: [topics.stream, alertsTopics.stream] });
  metrics.consumerGauges(() => bus.consumerStats(topics.stream.name, APPLICATIONS_CONSUMER));
  const alertEvents = new AlertEvents({ outbox: new AlertEventOutboxRepository(database), alerts, bus, topics: alertsTopics, log });
  const sweeper = alertEvents.startSweeper({ intervalMs: 30_000, olderThanMs: 30_000 });
  const consumer = await startInsightsConsumer(bus, { insights, states, alerts, alertEvents, topics, log }, { ackWaitMs: config.APPLICATIONS_ACK_WAIT_MS });
  const port = await listen(http, config.APPLICATIONS_PORT);
  log.info({ port }, 'applications subgraph ready');
  onShutdown(log, async () => {
    await closeServer(http);
    await consumer.stop();
    await sweeper.stop();
    await apollo.stop();
    await bus.close();
    await database.close();
  });
} catch (error) {
  failStartup(log, error);
}
