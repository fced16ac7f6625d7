import type DataLoader from 'dataloader';
import type { InternalContext } from '../../../lib/internal-context.js';
import type { InsightsDocument } from './models/insights.js';
import type { InsightsRepository } from './repositories/insights-repository.js';

export interface ApplicationsContext {
  caller: InternalContext;
  tenantId: string;
  repos: { insights: InsightsRepository };
  loaders: { insights: DataLoader<string, InsightsDocument | null> };
}
