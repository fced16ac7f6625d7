import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Stack } from '../../lib/stack.js';

export interface BenchStackOptions {
  mongoUri: string;
  natsUrl: string;
  /** Database prefix and bus namespace of the run. */
  prefix: string;
  apiKey: string;
  tenantId: string;
  workers?: number;
  /** The checkout whose processes run (default: the working directory's). */
  root?: string;
}

/**
 * Starts the whole stack (gateway, three subgraphs, `workers` analysis workers) of a checkout with one
 * read-write API key for the bench tenant and no rate limit.
 */
export async function startBenchStack(opts: BenchStackOptions): Promise<Stack> {
  const root = opts.root ?? process.cwd();
  const { startStack } = (await import(pathToFileURL(join(root, 'lib/stack.ts')).href)) as typeof import('../../lib/stack.js');
  // the stack starts its processes from entry paths relative to the working directory: the checkout's
  const cwd = process.cwd();
  process.chdir(root);
  try {
    return await startStack({
      mongoUri: opts.mongoUri,
      natsUrl: opts.natsUrl,
      workers: opts.workers ?? 0,
      env: {
        DB_PREFIX: opts.prefix,
        BUS_NAMESPACE: opts.prefix,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '100000000',
        API_KEYS: JSON.stringify([{ key: opts.apiKey, name: 'bench', tenantId: opts.tenantId, scopes: ['read', 'write'] }]),
      },
    });
  } finally {
    process.chdir(cwd);
  }
}
