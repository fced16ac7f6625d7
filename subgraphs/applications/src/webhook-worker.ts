import { createServer } from 'node:http';
import { Counter } from 'prom-client';
import { connectBus } from '../../../lib/bus/index.js';
import { closeServer, listen } from '../../../lib/http-server.js';
import { createLogger } from '../../../lib/logger.js';
import { createMetrics } from '../../../lib/metrics.js';
import { connectDatabase, databaseName } from '../../../lib/mongo.js';
import { failStartup, onShutdown } from '../../../lib/service.js';
import { reviewTopics } from '../../../lib/streams.js';
import { loadWebhookWorkerConfig } from './config.js';
import { alertTopics } from './events.js';
import { WEBHOOKS_CONSUMER } from './services/webhook-fanout.js';
import { startWebhookWorker } from './services/webhook-worker.js';

const config = loadWebhookWorkerConfig();
const log = createLogger('webhook-worker', config.LOG_LEVEL);

try {
  // The applications database: webhooks belong to the applications subgraph.
  const database = await connectDatabase(config.MONGODB_URI, databaseName(config.DB_PREFIX, 'applications'));
  const topics = { reviews: reviewTopics(config.BUS_NAMESPACE), alerts: alertTopics(config.BUS_NAMESPACE) };
  const bus = await connectBus({ natsUrl: config.NATS_URL, name: 'webhook-worker', log, streams: [topics.reviews.stream, topics.alerts.stream] });
  const worker = await startWebhookWorker({ bus, database, topics, log }, {
    attemptTimeoutMs: config.WEBHOOK_ATTEMPT_TIMEOUT_MS,
    concurrency: config.WEBHOOK_CONCURRENCY,
    perWebhookConcurrency: config.WEBHOOK_PER_WEBHOOK_CONCURRENCY,
    pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    urlPolicy: { allowLoopback: config.WEBHOOKS_ALLOW_LOOPBACK },
    retry: {
      maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, baseDelayMs: config.WEBHOOK_RETRY_BASE_MS, maxDelayMs: config.WEBHOOK_RETRY_MAX_MS,
      disableAfterFailures: config.WEBHOOK_DISABLE_AFTER_FAILURES, disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS,
    },
  });
  const metrics = createMetrics('webhook-worker');
  metrics.consumerGauges(() => bus.consumerStats(topics.reviews.stream.name, WEBHOOKS_CONSUMER));
  new Counter({
    name: 'reviewgraph_webhook_attempts_total', help: 'Webhook delivery attempts this worker made, by outcome', labelNames: ['status'], registers: [metrics.registry],
    collect() {
      this.reset();
      for (const [status, n] of Object.entries(worker.deliverer.attempts)) this.inc({ status }, n);
    },
  });
  const server = createServer(async (req, res) => {
    if (req.url === '/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    else if (req.url === '/metrics') res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
    else res.writeHead(404).end();
  });
  const port = await listen(server, config.WEBHOOK_WORKER_METRICS_PORT);
  log.info({ metricsPort: port }, 'webhook worker ready');
  onShutdown(log, async () => {
    await worker.stop();
    await closeServer(server);
    await bus.close();
    await database.close();
  });
} catch (error) {
  failStartup(log, error);
}
