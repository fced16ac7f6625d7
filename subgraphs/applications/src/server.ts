import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { Metrics } from '../../../lib/metrics.js';
import type { Database } from '../../../lib/mongo.js';
import { loadSchema, serveSubgraph } from '../../../lib/subgraph.js';
import type { ApplicationsContext } from './context.js';
import { createLoaders } from './loaders.js';
import { AlertRepository } from './repositories/alert-repository.js';
import { InsightsRepository } from './repositories/insights-repository.js';
import { ReviewStateRepository } from './repositories/review-state-repository.js';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery-repository.js';
import { WebhookRepository } from './repositories/webhook-repository.js';
import { resolvers } from './resolvers/index.js';
import { WebhookSubscriptions } from './services/webhook-subscriptions.js';
import type { UrlPolicy } from './services/webhook-url-guard.js';

export const typeDefs = loadSchema(new URL('../schema.graphql', import.meta.url));

/** `webhookUrls` defaults to public addresses only. */
export interface ApplicationsServerDeps { database: Database; log: Logger; internalSecret: string; metrics?: Metrics; webhookUrls?: UrlPolicy }

/** Builds the applications subgraph without listening. */
export async function createServer(deps: ApplicationsServerDeps) {
  const insights = new InsightsRepository(deps.database);
  const states = new ReviewStateRepository(deps.database);
  const alerts = new AlertRepository(deps.database);
  const webhooks = new WebhookRepository(deps.database);
  const webhookDeliveries = new WebhookDeliveryRepository(deps.database);
  const subscriptions = new WebhookSubscriptions(webhooks, webhookDeliveries, deps.webhookUrls ?? { allowLoopback: false });
  await insights.ensureIndexes();
  await states.ensureIndexes();
  const contextFor = (caller: InternalContext): ApplicationsContext => ({ caller, tenantId: caller.tenantId, repos: { insights, alerts, webhooks, webhookDeliveries }, webhooks: subscriptions, loaders: createLoaders(caller.tenantId, insights, alerts, webhooks) });
  const { apollo, http } = await serveSubgraph({ typeDefs, resolvers, database: deps.database, internalSecret: deps.internalSecret, log: deps.log, metrics: deps.metrics, contextFor });
  return { apollo, http, insights, states, alerts, webhooks, webhookDeliveries, contextFor };
}
