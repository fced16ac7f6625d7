import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { scopeForOperation } from '../../gateway/src/auth.js';
import { gatewayEnv } from '../../gateway/src/config.js';

describe('scope of the operation that runs', () => {
  const document = parse('query R { __typename } mutation W { __typename } subscription S { __typename }');

  it('follows operationName, not the first operation', () => {
    expect(scopeForOperation(document, 'R')).toBe('read');
    expect(scopeForOperation(document, 'W')).toBe('write');
    expect(scopeForOperation(document, 'S')).toBe('read');
    expect(scopeForOperation(parse('mutation { __typename }'), undefined)).toBe('write');
    expect(scopeForOperation(parse('{ __typename }'), null)).toBe('read');
  });

  it('refuses several operations without a name, or an unknown name', () => {
    for (const name of [undefined, null, 'Nope']) {
      expect(() => scopeForOperation(document, name)).toThrowError(expect.objectContaining({ extensions: expect.objectContaining({ code: 'OPERATION_RESOLUTION_FAILURE' }) }));
    }
  });
});

describe('production settings', () => {
  it('allows no CORS origin by default and only exact origins when listed', () => {
    expect(gatewayEnv.parse({}).CORS_ORIGINS).toEqual([]);
    expect(gatewayEnv.parse({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
    for (const bad of ['*', 'https://*.example.com', 'https://app.example.com/', 'app.example.com', 'null']) {
      expect(gatewayEnv.safeParse({ CORS_ORIGINS: bad }).success).toBe(false);
    }
  });

  it('leaves introspection and suggestions to NODE_ENV unless set, and accepts only true/false', () => {
    const defaults = gatewayEnv.parse({});
    expect([defaults.GRAPHQL_INTROSPECTION, defaults.GRAPHQL_SUGGESTIONS, defaults.METRICS_PUBLIC]).toEqual([undefined, undefined, undefined]);
    expect(gatewayEnv.parse({ GRAPHQL_INTROSPECTION: 'true', GRAPHQL_SUGGESTIONS: 'false' })).toMatchObject({ GRAPHQL_INTROSPECTION: true, GRAPHQL_SUGGESTIONS: false });
    expect(gatewayEnv.safeParse({ GRAPHQL_INTROSPECTION: 'yes' }).success).toBe(false);
    expect(gatewayEnv.safeParse({ METRICS_TOKEN: 'short' }).success).toBe(false);
  });
});
