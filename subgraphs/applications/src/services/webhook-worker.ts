import type { Bus, RunningConsumer } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { Database } from '../../../../lib/mongo.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import type { AlertTopics } from '../events.js';
import { WebhookDeliveryRepository } from '../repositories/webhook-delivery-repository.js';
import { WebhookRepository } from '../repositories/webhook-repository.js';
import { WebhookDeliverer, type DelivererSettings } from './webhook-deliverer.js';
import { startWebhookFanout } from './webhook-fanout.js';

export interface RunningWebhookWorker { consumers: RunningConsumer[]; deliverer: WebhookDeliverer; stop(): Promise<void> }

/** The webhook process's work: the fan-out consumers on the bus and the deliverer behind them. */
export async function startWebhookWorker(deps: { bus: Bus; database: Database; topics: { reviews: ReviewTopics; alerts: AlertTopics }; log: Logger }, settings: DelivererSettings, opts: { maxDeliver?: number; backoffMs?: number[] } = {}): Promise<RunningWebhookWorker> {
  const webhooks = new WebhookRepository(deps.database);
  const deliveries = new WebhookDeliveryRepository(deps.database);
  const deliverer = new WebhookDeliverer({ webhooks, deliveries, log: deps.log.child({ component: 'webhook-deliverer' }) }, settings).start();
  const consumers = await startWebhookFanout(deps.bus, { webhooks, deliveries }, deps.topics, opts);
  return {
    consumers,
    deliverer,
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      await deliverer.stop();
    },
  };
}
