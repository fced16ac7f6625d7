import type DataLoader from 'dataloader';
import type { InternalContext } from '../../../lib/internal-context.js';
import type { AlertDocument } from './models/alert.js';
import type { InsightsDocument } from './models/insights.js';
import type { AlertRepository } from './repositories/alert-repository.js';
import type { InsightsRepository } from './repositories/insights-repository.js';

export interface ApplicationsContext {
  caller: InternalContext;
  tenantId: string;
  repos: { insights: InsightsRepository; alerts: AlertRepository };
  loaders: { insights: DataLoader<string, InsightsDocument | null>; alerts: DataLoader<string, AlertDocument | null> };
}
