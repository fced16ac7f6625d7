import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { CollectionLoaders } from './loaders.js';
import type { CollectionServices } from './services/collection-services.js';

export interface CollectionContext {
  caller: InternalContext;
  tenantId: string;
  services: CollectionServices;
  loaders: CollectionLoaders;
  log: Logger;
}
