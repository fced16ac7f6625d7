import { z } from 'zod';

/** Parses `env` with a zod schema; prints every problem at once and exits 1 when it does not fit. */
export function parseEnv<S extends z.ZodType>(processName: string, schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  process.stderr.write(`${processName}: invalid configuration\n${lines.join('\n')}\n`);
  process.exit(1);
}

const port = z.coerce.number().int().min(0).max(65535);

/** The shared gateway–subgraph secret used when none is configured: fine on a laptop, never in production. */
export const DEVELOPMENT_SECRET = 'reviewgraph-dev-internal-secret';

/** Settings every service process shares. */
export const platformEnv = {
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  NATS_URL: z.string().regex(/^(nats|tls|ws|wss):\/\//, 'must be a nats:// URL'),
  DB_PREFIX: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'lowercase letters, digits and _').default('reviewgraph'),
  INTERNAL_SECRET: z.string().min(16, 'at least 16 characters').default(DEVELOPMENT_SECRET),
  BUS_NAMESPACE: z.string().regex(/^[a-z0-9_]*$/, 'a-z, 0-9 and _ only').default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const portSetting = (fallback: number) => port.default(fallback);
