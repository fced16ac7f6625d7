import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../../lib/config.js';

/** Off unless set to true: lets webhooks call loopback receivers, for development and tests only. */
const allowLoopback = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

export const loadApplicationsConfig = () =>
  parseEnv('applications', z.object({
    ...platformEnv,
    APPLICATIONS_PORT: portSetting(4003),
    /** How long a batch the insights consumer pulled may go unacknowledged before it is redelivered. */
    APPLICATIONS_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    WEBHOOKS_ALLOW_LOOPBACK: allowLoopback,
  }));

export const loadWebhookWorkerConfig = () =>
  parseEnv('webhook-worker', z.object({
    ...platformEnv,
    /** The worker's /health and /metrics port (0: any free one). */
    WEBHOOK_WORKER_METRICS_PORT: portSetting(0),
    WEBHOOKS_ALLOW_LOOPBACK: allowLoopback,
    WEBHOOK_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(10),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
    WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(20),
    WEBHOOK_DISABLE_AFTER_MS: z.coerce.number().int().min(0).max(30 * 86_400_000).default(3_600_000),
    WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    WEBHOOK_PER_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  }));
