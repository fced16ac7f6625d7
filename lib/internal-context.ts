import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What the gateway tells a subgraph about the caller, signed so a subgraph exposed by mistake leaks nothing. */
export interface InternalContext {
  tenantId: string;
  scopes: string[];
  requestId: string;
  keyId: string | null;
}

export const INTERNAL_CONTEXT_HEADER = 'x-reviewgraph-context';
/** A signature is good for one subgraph request, sent the moment it is signed: a minute covers slow networks, not replays. */
export const MAX_AGE_MS = 60_000;
/** Clocks of the gateway and subgraph hosts may differ by this much. */
export const MAX_CLOCK_SKEW_MS = 5_000;

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** The sha256 of the exact bytes of a subgraph request body (query, variables and operation name as sent). */
export function bodyHash(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * Encodes and signs a context bound to one request body as `<payload>.<signature>`. A random nonce
 * makes every signature unique, so a subgraph can refuse a second use of one (lib/replay-guard.ts)
 * without refusing two identical requests the gateway sends in the same millisecond.
 */
export function signInternalContext(context: InternalContext, secret: string, body: string | Uint8Array, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...context, iat: now, bh: bodyHash(body), n: randomBytes(12).toString('base64url') })).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/**
 * Verifies a signed context against the body it arrived with; returns null when missing, forged,
 * malformed, older than a minute, from the future, or signed for another body (a replay).
 */
export function verifyInternalContext(header: string | undefined | null, secret: string, body: string | Uint8Array, now = Date.now()): InternalContext | null {
  if (!header || header.length > 4096) return null;
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<InternalContext> & { iat?: number; bh?: string };
    if (typeof parsed.tenantId !== 'string' || !Array.isArray(parsed.scopes) || typeof parsed.iat !== 'number' || typeof parsed.bh !== 'string') return null;
    if (parsed.iat > now + MAX_CLOCK_SKEW_MS || now - parsed.iat > MAX_AGE_MS) return null;
    const expectedHash = Buffer.from(bodyHash(body));
    const givenHash = Buffer.from(parsed.bh);
    if (expectedHash.length !== givenHash.length || !timingSafeEqual(expectedHash, givenHash)) return null;
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
