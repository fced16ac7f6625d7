import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../../lib/config.js';

export const loadAnalysisConfig = () =>
  parseEnv('analysis', z.object({
    ...platformEnv,
    ANALYSIS_PORT: portSetting(4002),
  }));

export const loadWorkerConfig = () =>
  parseEnv('analysis-worker', z.object({
    ...platformEnv,
    /** 0 picks a free port, which is what several workers on one machine need. */
    WORKER_METRICS_PORT: portSetting(0),
    WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(64),
    /** Batches one worker has in flight: while one is analysed, the others are stored and acknowledged. */
    WORKER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(8).default(3),
    WORKER_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
    /** How long a pulled message may stay unacknowledged before another worker gets it. */
    WORKER_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  }));
