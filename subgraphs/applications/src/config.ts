import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../../lib/config.js';

export const loadApplicationsConfig = () =>
  parseEnv('applications', z.object({
    ...platformEnv,
    APPLICATIONS_PORT: portSetting(4003),
  }));
