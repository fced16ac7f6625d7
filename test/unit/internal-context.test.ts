import { describe, expect, it } from 'vitest';
import { MAX_AGE_MS, MAX_CLOCK_SKEW_MS, signInternalContext, verifyInternalContext } from '../../lib/internal-context.js';
import { ReplayGuard } from '../../lib/replay-guard.js';

const SECRET = 'unit-test-secret-0123456789';
const context = { tenantId: 'acme', scopes: ['read'], requestId: 'r-1', keyId: 'k' };
const BODY = JSON.stringify({ query: 'query R { products { edges { cursor } } }', variables: {}, operationName: 'R' });

describe('signed internal context', () => {
  it('round-trips a context signed with the shared secret for the body it travels with', () => {
    expect(verifyInternalContext(signInternalContext(context, SECRET, BODY), SECRET, BODY)).toEqual(context);
    expect(verifyInternalContext(signInternalContext(context, SECRET, Buffer.from(BODY)), SECRET, Buffer.from(BODY))).toEqual(context);
  });

  it('refuses missing, forged, tampered, malformed and unbound headers', () => {
    const signed = signInternalContext(context, SECRET, BODY);
    const [payload, signature] = signed.split('.');
    const otherTenant = Buffer.from(JSON.stringify({ ...context, tenantId: 'victim', iat: Date.now() })).toString('base64url');
    const unbound = Buffer.from(JSON.stringify({ ...context, iat: Date.now() })).toString('base64url');
    const unboundSigned = `${unbound}.${signInternalContext(context, SECRET, BODY).split('.')[1]}`;
    for (const header of [undefined, '', 'garbage', `${payload}`, `${payload}.${signature}.x`, signInternalContext(context, 'another-secret-entirely', BODY), `${otherTenant}.${signature}`, unboundSigned, 'x'.repeat(5000)]) {
      expect(verifyInternalContext(header, SECRET, BODY)).toBeNull();
    }
  });

  it('is bound to the exact body: a captured header does not work for other variables, another operation name or a GET', () => {
    const signed = signInternalContext(context, SECRET, BODY);
    const other = (change: Record<string, unknown>) => JSON.stringify({ ...(JSON.parse(BODY) as object), ...change });
    for (const body of [other({ variables: { first: 100 } }), other({ operationName: 'W' }), other({ query: 'mutation W { deleteReviews(ids: []) { deleted } }' }), `${BODY} `, '']) {
      expect(verifyInternalContext(signed, SECRET, body)).toBeNull();
    }
  });

  it('expires after a minute and refuses timestamps from the future beyond the clock skew', () => {
    const now = Date.now();
    expect(verifyInternalContext(signInternalContext(context, SECRET, BODY, now - MAX_AGE_MS + 1_000), SECRET, BODY, now)).toEqual(context);
    expect(verifyInternalContext(signInternalContext(context, SECRET, BODY, now - MAX_AGE_MS - 1), SECRET, BODY, now)).toBeNull();
    expect(verifyInternalContext(signInternalContext(context, SECRET, BODY, now + MAX_CLOCK_SKEW_MS - 1_000), SECRET, BODY, now)).toEqual(context);
    expect(verifyInternalContext(signInternalContext(context, SECRET, BODY, now + MAX_CLOCK_SKEW_MS + 1), SECRET, BODY, now)).toBeNull();
    expect(verifyInternalContext(signInternalContext(context, SECRET, BODY, now + 4 * 60_000), SECRET, BODY, now)).toBeNull();
    expect(MAX_AGE_MS).toBeLessThanOrEqual(60_000);
  });

  it('signs the same request twice differently, so a replay guard can refuse the second use of one signature only', () => {
    const now = Date.now();
    const [a, b] = [signInternalContext(context, SECRET, BODY, now), signInternalContext(context, SECRET, BODY, now)];
    expect(a).not.toBe(b);
    const guard = new ReplayGuard(MAX_AGE_MS + MAX_CLOCK_SKEW_MS);
    expect(guard.firstUse(a, now)).toBe(true);
    expect(guard.firstUse(b, now)).toBe(true);
    expect(guard.firstUse(a, now + 30_000)).toBe(false);
    expect(guard.firstUse(a, now + MAX_AGE_MS + MAX_CLOCK_SKEW_MS + 1)).toBe(true); // by then verification refuses it as stale
  });

  it('keeps a bounded memory of signatures', () => {
    const guard = new ReplayGuard(60_000, 3);
    for (const s of ['a', 'b', 'c', 'd']) expect(guard.firstUse(s, 0)).toBe(true);
    expect(guard.firstUse('d', 1)).toBe(false);
    expect(guard.firstUse('a', 1)).toBe(true);
  });
});
