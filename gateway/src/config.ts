import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../lib/config.js';

const apiKey = z.object({
  key: z.string().min(16, 'API keys are at least 16 characters'),
  name: z.string().min(1),
  tenantId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'tenant ids are lowercase slugs'),
  scopes: z.array(z.enum(['read', 'write'])).min(1),
});
export type ApiKey = z.infer<typeof apiKey>;

const apiKeys = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return [] as ApiKey[];
    try {
      const parsed = z.array(apiKey).safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {key, name, tenantId, scopes}' });
    }
    return z.NEVER;
  });

export const gatewayEnv = z.object({
  INTERNAL_SECRET: platformEnv.INTERNAL_SECRET,
  LOG_LEVEL: platformEnv.LOG_LEVEL,
  GATEWAY_PORT: portSetting(4000),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  COLLECTION_URL: z.url().default('http://127.0.0.1:4001/graphql'),
  ANALYSIS_URL: z.url().default('http://127.0.0.1:4002/graphql'),
  APPLICATIONS_URL: z.url().default('http://127.0.0.1:4003/graphql'),
  /** With no keys configured every caller acts in DEFAULT_TENANT with all scopes: fine on a laptop, never in production. */
  API_KEYS: apiKeys,
  DEFAULT_TENANT: z.string().default('default'),
  MAX_QUERY_BYTES: z.coerce.number().int().min(256).default(20_000),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(12),
  /** Requests per minute per API key (per tenant without keys), with bursts of a sixth of that. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
});
export type GatewayConfig = z.infer<typeof gatewayEnv>;

export const loadGatewayConfig = () => parseEnv('gateway', gatewayEnv);
