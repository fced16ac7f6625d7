import { startStack, type Stack } from '../../lib/stack.js';
import type { RestartPolicy } from '../../lib/supervisor.js';
import { testInfra, uniqueName } from './infra.js';

export interface TestKey { key: string; name: string; tenantId: string; scopes: Array<'read' | 'write' | 'moderate'> }

/**
 * The whole graph as real processes on the test servers (or `infra`), in databases and a bus namespace of
 * its own, with the given API keys; `env` adds or overrides settings for every process; with `restart`,
 * a process that ends on its own is restarted as `npm start` does.
 */
export function startTestStack(label: string, options: {
  workers: number; keys: TestKey[]; env?: Record<string, string>; write?: (line: string) => void;
  infra?: { mongoUri: string; natsUrl: string }; restart?: RestartPolicy; onFailure?: (reason: string) => void;
}): Promise<Stack> {
  const name = uniqueName(label).toLowerCase();
  return startStack({
    ...(options.infra ?? testInfra()),
    restart: options.restart,
    onFailure: options.onFailure,
    workers: options.workers,
    env: { DB_PREFIX: name, BUS_NAMESPACE: name, LOG_LEVEL: 'warn', API_KEYS: JSON.stringify(options.keys), ...options.env },
    write: options.write,
  });
}
