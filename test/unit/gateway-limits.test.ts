import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../gateway/src/auth.js';
import { gatewayEnv } from '../../gateway/src/config.js';
import { costModel } from '../../gateway/src/limits.js';
import { operationSize } from '../../gateway/src/operation-cost.js';

const schema = buildSchema(`
  type Query { products(first: Int = 20): ProductConnection! product(id: ID!): Product analyzeText(text: String!): Analysis! }
  type ProductConnection { edges: [ProductEdge!]! }
  type ProductEdge { node: Product! }
  type Product { name: String reviews(first: Int = 20): ProductConnection! tags: [Tag!]! }
  type Tag { name: String }
  type Analysis { label: String }
`);
const model = costModel(gatewayEnv.parse({}));
const size = (query: string, variables: Record<string, unknown> = {}) => operationSize(schema, parse(query), undefined, variables, model);

describe('operation cost (before any subgraph is called)', () => {
  it('counts objects times the page sizes around them, `first` from literals, variables or the default, capped at 100', () => {
    expect(size('{ product(id: 1) { name } }').cost).toBe(1);
    expect(size('{ products(first: 5) { edges { node { name } } } }').cost).toBe(1 + 5 * (1 + 1));
    expect(size('query($n: Int) { products(first: $n) { edges { node { name } } } }', { n: 7 }).cost).toBe(1 + 7 * 2);
    expect(size('{ products { edges { node { name } } } }').cost).toBe(1 + 20 * 2);
    expect(size('{ products(first: 5000) { edges { node { name } } } }').cost).toBe(1 + 100 * 2);
    expect(size('{ product(id: 1) { tags { name } } }').cost).toBe(1 + model.assumedListSize);
  });
  it('multiplies nested pages, so a page of pages of pages is refused by the default limit', () => {
    const nested = '{ products(first: 100) { edges { node { reviews(first: 100) { edges { node { reviews(first: 100) { edges { node { name } } } } } } } } } }';
    expect(size(nested).cost).toBeGreaterThan(1_000_000);
    expect(size(nested).cost).toBeGreaterThan(gatewayEnv.parse({}).MAX_QUERY_COST);
  });
  it('counts analyzeText by the length of its text, passed inline or as a variable', () => {
    expect(size('{ analyzeText(text: "abc") { label } }').cost).toBe(1 + 1);
    expect(size('query($t: String!) { analyzeText(text: $t) { label } }', { t: 'x'.repeat(5_000) }).cost).toBe(1 + 5_000 / model.textArguments['Query.analyzeText']!.charactersPerUnit);
  });
  it('costs a fragment once per spread and expands it in linear time, however it is chained', () => {
    let query = '{ product(id: 1) { ...F0 } }\n';
    for (let i = 0; i < 40; i++) query += `fragment F${i} on Product { ...F${i + 1} ...F${i + 1} }\n`;
    query += 'fragment F40 on Product { name tags { name } }';
    const started = performance.now();
    const result = size(query);
    expect(performance.now() - started).toBeLessThan(50);
    expect(result.fields).toBe(2 ** 40 * 3 + 1);
    expect(result.cost).toBe(1 + 2 ** 40 * model.assumedListSize);
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
