import type DataLoader from 'dataloader';
import type { InternalContext } from '../../../lib/internal-context.js';
import type { AlertDocument } from './models/alert.js';
import type { InsightsDocument } from './models/insights.js';
import type { WebhookHealthDocument } from './models/webhook.js';
import type { AlertRepository } from './repositories/alert-repository.js';
import type { InsightsRepository } from './repositories/insights-repository.js';
import type { WebhookDeliveryRepository } from './repositories/webhook-delivery-repository.js';
import type { WebhookRepository } from './repositories/webhook-repository.js';
import type { WebhookSubscriptions } from './services/webhook-subscriptions.js';

export interface ApplicationsContext {
  caller: InternalContext;
  tenantId: string;
  repos: { insights: InsightsRepository; alerts: AlertRepository; webhooks: WebhookRepository; webhookDeliveries: WebhookDeliveryRepository };
  webhooks: WebhookSubscriptions;
  loaders: { insights: DataLoader<string, InsightsDocument | null>; alerts: DataLoader<string, AlertDocument | null>; webhookHealth: DataLoader<string, WebhookHealthDocument | null> };
}
