import { parse, specifiedRules, validate, buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../gateway/src/auth.js';
import { gatewayEnv } from '../../gateway/src/config.js';
import { depthLimitRule } from '../../gateway/src/depth-limit.js';

const schema = buildSchema('type Query { node: Node } type Node { child: Node name: String }');

describe('query depth limit', () => {
  const errors = (query: string) => validate(schema, parse(query), [...specifiedRules, depthLimitRule(3)]).map((e) => e.message);
  it('allows queries up to the limit and refuses deeper ones, through fragments too', () => {
    expect(errors('{ node { child { name } } }')).toEqual([]);
    expect(errors('{ node { child { child { name } } } }')).toEqual(['Query depth 4 exceeds the limit of 3']);
    expect(errors('{ node { ...F } } fragment F on Node { child { child { name } } }')).toEqual(['Query depth 4 exceeds the limit of 3']);
  });
  it('does not loop on cyclic fragments (which validation reports on its own)', () => {
    expect(errors('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }').length).toBeGreaterThan(0);
  });
});

describe('API keys', () => {
  const keys = [{ key: 'k'.repeat(20), name: 'partner', tenantId: 'acme', scopes: ['read' as const] }];
  it('maps a key to its tenant and scopes and refuses unknown or missing keys', () => {
    const auth = createAuthenticator(keys, 'default');
    expect(auth.authenticate('k'.repeat(20))).toEqual({ tenantId: 'acme', scopes: ['read'], keyId: 'partner' });
    expect(auth.authenticate('x'.repeat(20))).toBeNull();
    expect(auth.authenticate(null)).toBeNull();
  });
  it('treats every caller as the default tenant when no keys are configured', () => {
    expect(createAuthenticator([], 'default').authenticate(null)).toEqual({ tenantId: 'default', scopes: ['read', 'write'], keyId: null });
  });
  it('rejects a malformed API_KEYS setting with a message that names the problem', () => {
    const bad = gatewayEnv.safeParse({ API_KEYS: '[{"key":"short","name":"x","tenantId":"acme","scopes":["read"]}]' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/at least 16/);
    expect(gatewayEnv.safeParse({ API_KEYS: 'not json' }).success).toBe(false);
  });
});

describe('rate limiter', () => {
  it('allows a burst, then refuses with a wait, then refills over time, per caller', async () => {
    const { RateLimiter } = await import('../../gateway/src/rate-limit.js');
    const limiter = new RateLimiter(60, 3);
    const t0 = 1_000_000;
    expect([limiter.take('a', t0), limiter.take('a', t0), limiter.take('a', t0)]).toEqual([0, 0, 0]);
    expect(limiter.take('a', t0)).toBe(1);
    expect(limiter.take('b', t0)).toBe(0);
    expect(limiter.take('a', t0 + 1_000)).toBe(0);
  });
});
