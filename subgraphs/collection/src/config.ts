import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../../lib/config.js';

export const loadCollectionConfig = () =>
  parseEnv('collection', z.object({
    ...platformEnv,
    COLLECTION_PORT: portSetting(4001),
    OUTBOX_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
    OUTBOX_SWEEP_AGE_MS: z.coerce.number().int().min(0).default(30_000),
  }));
