import { describe, expect, it } from 'vitest';
import { signInternalContext, verifyInternalContext } from '../../lib/internal-context.js';

const SECRET = 'unit-test-secret-0123456789';
const context = { tenantId: 'acme', scopes: ['read'], requestId: 'r-1', keyId: 'k' };

describe('signed internal context', () => {
  it('round-trips a context signed with the shared secret', () => {
    expect(verifyInternalContext(signInternalContext(context, SECRET), SECRET)).toEqual(context);
  });

  it('refuses missing, forged, tampered, malformed and stale headers', () => {
    const signed = signInternalContext(context, SECRET);
    const [payload, signature] = signed.split('.');
    const otherTenant = Buffer.from(JSON.stringify({ ...context, tenantId: 'victim', iat: Date.now() })).toString('base64url');
    for (const header of [undefined, '', 'garbage', `${payload}`, `${payload}.${signature}.x`, signInternalContext(context, 'another-secret-entirely'), `${otherTenant}.${signature}`, 'x'.repeat(5000)]) {
      expect(verifyInternalContext(header, SECRET)).toBeNull();
    }
    expect(verifyInternalContext(signInternalContext(context, SECRET, Date.now() - 10 * 60_000), SECRET)).toBeNull();
  });
});
