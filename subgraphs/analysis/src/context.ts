import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { AnalysisLoaders } from './loaders.js';
import type { AnalysisServices } from './server.js';

export interface AnalysisContext {
  caller: InternalContext;
  tenantId: string;
  services: AnalysisServices;
  loaders: AnalysisLoaders;
  log: Logger;
}
