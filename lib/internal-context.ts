import { createHmac, timingSafeEqual } from 'node:crypto';

/** What the gateway tells a subgraph about the caller, signed so a subgraph exposed by mistake leaks nothing. */
export interface InternalContext {
  tenantId: string;
  scopes: string[];
  requestId: string;
  keyId: string | null;
}

export const INTERNAL_CONTEXT_HEADER = 'x-reviewgraph-context';
const MAX_AGE_MS = 5 * 60_000;

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** Encodes and signs a context as `<payload>.<signature>`. */
export function signInternalContext(context: InternalContext, secret: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...context, iat: now })).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** Verifies a signed context; returns null when missing, forged, malformed or stale. */
export function verifyInternalContext(header: string | undefined | null, secret: string, now = Date.now()): InternalContext | null {
  if (!header || header.length > 4096) return null;
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<InternalContext> & { iat?: number };
    if (typeof parsed.tenantId !== 'string' || !Array.isArray(parsed.scopes) || typeof parsed.iat !== 'number') return null;
    if (Math.abs(now - parsed.iat) > MAX_AGE_MS) return null;
    return {
      tenantId: parsed.tenantId,
      scopes: parsed.scopes.filter((s): s is string => typeof s === 'string'),
      requestId: typeof parsed.requestId === 'string' ? parsed.requestId : 'unknown',
      keyId: typeof parsed.keyId === 'string' ? parsed.keyId : null,
    };
  } catch {
    return null;
  }
}
