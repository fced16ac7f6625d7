import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** The MongoDB and NATS URLs of this test run (from the env, or the embedded launcher started by test/global-setup.ts). */
export function testInfra(): { mongoUri: string; natsUrl: string } {
  return { mongoUri: inject('mongoUri'), natsUrl: inject('natsUrl') };
}

/**
 * A short unique name, safe as a MongoDB database name and a JetStream stream/consumer name:
 * `t_<prefix>_<8 hex>`, with the prefix reduced to [A-Za-z0-9_] and 20 characters.
 */
export function uniqueName(prefix: string): string {
  const clean = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 20);
  return `t_${clean}_${randomBytes(4).toString('hex')}`;
}
