import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../../lib/config.js';

export const loadApplicationsConfig = () =>
  parseEnv('applications', z.object({
    ...platformEnv,
    APPLICATIONS_PORT: portSetting(4003),
    /** How long a batch the insights consumer pulled may go unacknowledged before it is redelivered. */
    APPLICATIONS_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  }));
