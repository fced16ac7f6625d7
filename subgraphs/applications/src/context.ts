import type DataLoader from 'dataloader';
import type { InternalContext } from '../../../lib/internal-context.js';
import type { InsightsDocument } from './models/insights.js';

export interface ApplicationsContext {
  caller: InternalContext;
  tenantId: string;
  loaders: { insights: DataLoader<string, InsightsDocument | null> };
}
