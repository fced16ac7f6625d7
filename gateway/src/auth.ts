import { createHash, timingSafeEqual } from 'node:crypto';
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import type { InternalContext } from '../../lib/internal-context.js';
import { scopeForOperationNode, type Scope } from '../../lib/scopes.js';
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
  return bearerToken(headers);
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(headers: Headers): string | null {
  const match = headers.get('authorization')?.match(/^Bearer\s+(.+)$/i);
  return match ? match[1]!.trim() : null;
}

/** The challenge sent with every 401 (RFC 9110 §11.6.1). */
export const WWW_AUTHENTICATE = 'Bearer realm="reviewgraph"';
export const UNAUTHENTICATED_MESSAGE = 'A valid API key is required: send it as `x-api-key: <key>` or `Authorization: Bearer <key>`';

/** A 401 answer naming both ways to present a key. */
export function unauthenticatedResponse(fetchAPI: { Response: typeof Response }): Response {
  return fetchAPI.Response.json(
    { errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] },
    { status: 401, headers: { 'www-authenticate': WWW_AUTHENTICATE } },
  );
}

/**
 * The scope needed by the operation that will actually run: the one `operationName` names, or the
 * only one in the document. Anything else (several operations and no or an unknown name) is refused
 * here rather than letting a scope check look at a different operation than the executor.
 */
export function scopeForOperation(document: DocumentNode, operationName: string | null | undefined): Scope {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) {
    const message = operationName
      ? `The document has no operation named "${operationName}"`
      : 'The document has several operations: say which one to run with operationName';
    throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } });
  }
  return scopeForOperationNode(operation);
}
