import { z } from 'zod';
import { parseEnv, platformEnv, portSetting } from '../../lib/config.js';
import { SUBGRAPH_MAX_BODY_BYTES } from '../../lib/http-server.js';

const apiKey = z.object({
  key: z.string().min(16, 'API keys are at least 16 characters'),
  name: z.string().min(1),
  tenantId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'tenant ids are lowercase slugs'),
  scopes: z.array(z.enum(['read', 'write', 'moderate'])).min(1),
  /** A contract (schema/contracts.json) this key is served instead of the whole graph, e.g. "partner". */
  contract: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a contract name from schema/contracts.json').optional(),
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
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {key, name, tenantId, scopes, contract?}' });
    }
    return z.NEVER;
  });

const switchSetting = z.enum(['true', 'false']).optional().transform((value) => (value === undefined ? undefined : value === 'true'));

const corsOrigins = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const origins = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
    for (const origin of origins) {
      if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)) ctx.addIssue({ code: 'custom', message: `${origin}: origins are scheme://host[:port], no wildcards or paths` });
    }
    return origins;
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
  // Production defaults (authorisation in depth): introspection and field suggestions follow NODE_ENV unless set.
  NODE_ENV: z.string().default('development'),
  GRAPHQL_INTROSPECTION: switchSetting,
  GRAPHQL_SUGGESTIONS: switchSetting,
  /** Comma-separated browser origins allowed by CORS (exact `scheme://host[:port]`); none by default. */
  CORS_ORIGINS: corsOrigins,
  /** When set, GET /metrics also accepts `Authorization: Bearer <METRICS_TOKEN>` (for a scraper without an API key). */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /** `true` serves GET /metrics to anyone (a private network only); otherwise it needs an API key or METRICS_TOKEN. */
  METRICS_PUBLIC: switchSetting,
  // Operation limits (README "Limits"): checked before any subgraph is called.
  MAX_QUERY_TOKENS: z.coerce.number().int().min(50).default(2_000),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(15),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(5_000),
  /** Field selections with every fragment spread expanded (what the query planner walks). */
  MAX_QUERY_FIELDS: z.coerce.number().int().min(10).default(1_000),
  /** Items a list without `first` is assumed to hold when costing an operation. */
  COST_ASSUMED_LIST_SIZE: z.coerce.number().int().min(1).default(10),
  /** analyzeText costs one unit per this many characters of its text (5,000 characters: about 110 ms of analysis). */
  COST_TEXT_CHARACTERS_PER_UNIT: z.coerce.number().int().min(1).default(5),
  /** Request body bytes, counted as they arrive (chunked bodies too); at most what a subgraph accepts from the gateway. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(SUBGRAPH_MAX_BODY_BYTES - 1024 * 1024, 'at most 1 MiB below the subgraphs\' body limit').default(12 * 1024 * 1024),
  /** Milliseconds the gateway waits for one subgraph request before answering without that subgraph's fields. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** The same for mutations, which store and publish whole batches while the caller waits. */
  SUBGRAPH_MUTATION_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  // Schema usage (README "Schema owners"): recorded in the gateway's own database, reviewgraph_gateway.
  MONGODB_URI: platformEnv.MONGODB_URI.optional(),
  DB_PREFIX: platformEnv.DB_PREFIX,
  /** Fraction of operations whose schema coordinates are recorded; 0 turns recording off. */
  SCHEMA_USAGE_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  /** Milliseconds between writes of the aggregated usage (one document per client per flush). */
  SCHEMA_USAGE_FLUSH_MS: z.coerce.number().int().min(100).default(30_000),
});
export type GatewayConfig = z.infer<typeof gatewayEnv>;

export const loadGatewayConfig = () => parseEnv('gateway', gatewayEnv);
