import { createHash, timingSafeEqual } from 'node:crypto';
import type { InternalContext } from '../../lib/internal-context.js';
import type { ApiKey } from './config.js';

export type Caller = Omit<InternalContext, 'requestId'>;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Resolves API keys to callers in constant time per key; with no keys configured, everyone is the default tenant. */
export function createAuthenticator(keys: ApiKey[], defaultTenant: string) {
  const hashed = keys.map((key) => ({ hash: digest(key.key), key }));
  return {
    open: keys.length === 0,
    authenticate(presented: string | null): Caller | null {
      if (keys.length === 0) return { tenantId: defaultTenant, scopes: ['read', 'write'], keyId: null };
      if (!presented) return null;
      const hash = digest(presented);
      const match = hashed.find((entry) => timingSafeEqual(entry.hash, hash));
      return match ? { tenantId: match.key.tenantId, scopes: match.key.scopes, keyId: match.key.name } : null;
    },
  };
}

/** Reads the key from `x-api-key` or `Authorization: Bearer`. */
export function presentedKey(headers: Headers): string | null {
  const direct = headers.get('x-api-key');
  if (direct) return direct.trim();
  const auth = headers.get('authorization');
  const match = auth?.match(/^Bearer\s+(.+)$/i);
  return match ? match[1]!.trim() : null;
}
