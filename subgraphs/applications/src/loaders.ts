import DataLoader from 'dataloader';
import type { InsightsDocument } from './models/insights.js';
import type { InsightsRepository } from './repositories/insights-repository.js';

/** Per-request loader of insights by product id: one repository call per tick. */
export function createLoaders(tenantId: string, insights: InsightsRepository) {
  return {
    insights: new DataLoader<string, InsightsDocument | null>(async (productIds) => {
      const found = await insights.findByProductIds(tenantId, productIds);
      return productIds.map((id) => found.get(id) ?? null);
    }),
  };
}
