import DataLoader from 'dataloader';
import type { AlertDocument } from './models/alert.js';
import type { InsightsDocument } from './models/insights.js';
import type { AlertRepository } from './repositories/alert-repository.js';
import type { InsightsRepository } from './repositories/insights-repository.js';
import type { WebhookHealthDocument } from './models/webhook.js';
import type { WebhookRepository } from './repositories/webhook-repository.js';

/** Per-request loaders: one repository call per tick for insights by product id, for alerts by id, and for webhooks' delivery health. */
export function createLoaders(tenantId: string, insights: InsightsRepository, alerts: AlertRepository, webhooks: WebhookRepository) {
  return {
    insights: new DataLoader<string, InsightsDocument | null>(async (productIds) => {
      const found = await insights.findByProductIds(tenantId, productIds);
      return productIds.map((id) => found.get(id) ?? null);
    }),
    alerts: new DataLoader<string, AlertDocument | null>(async (ids) => {
      const found = await alerts.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    webhookHealth: new DataLoader<string, WebhookHealthDocument | null>(async (ids) => {
      const found = await webhooks.findHealth(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
