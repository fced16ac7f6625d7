import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERNAL_CONTEXT_HEADER, signInternalContext, type InternalContext } from '../../lib/internal-context.js';
import { freePort, type Stack } from '../../lib/stack.js';
import { startHealthy, stopAll } from '../../lib/supervisor.js';
import { eventually } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';

// Attacks on authorisation in depth (issue 9, items 1, 2, 5, 7, 8) and tenant isolation, through the
// running gateway in production mode and straight at the subgraphs, as an attacker would send them.

const SECRET = 'security-e2e-internal-secret-0123456789';
const ALPHA_WRITE = 'alpha-write-key-0123456789abcdef';
const ALPHA_READ = 'alpha-read-key-0123456789abcdef0';
const BETA_WRITE = 'beta-write-key-0123456789abcdef00';
const ALLOWED_ORIGIN = 'https://app.example.com';
let stack: Stack;
const output: string[] = [];
const subgraphUrl: Record<'collection' | 'analysis' | 'applications', string> = { collection: '', analysis: '', applications: '' };
const tally = { attempts: 0, refused: 0, leaks: 0, slowestNormalMs: 0 };

interface Answer { status: number; headers: Headers; body: { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | null; text: string }

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: Answer['body'] = null;
  try { body = JSON.parse(text) as Answer['body']; } catch { body = null; }
  return { status: response.status, headers: response.headers, body, text };
}

async function gql(query: string, variables: Record<string, unknown> = {}, key: string | null = ALPHA_WRITE, extra: { operationName?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return answer(await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}), ...extra.headers },
    body: JSON.stringify({ query, variables, ...(extra.operationName ? { operationName: extra.operationName } : {}) }),
  }));
}

/**
 * Sends a request target byte for byte (fetch would normalise `//graphql` or `/./graphql`). With
 * `firstBytesOnly`, only the start of the body is sent and the answer awaited: a server that refuses
 * on the declared length answers, then drops the connection before the rest would arrive.
 */
function raw(target: string, options: { method?: string; headers?: Record<string, string>; body?: string; port?: number; firstBytesOnly?: boolean } = {}): Promise<Answer> {
  const port = options.port ?? Number(new URL(stack.gatewayUrl).port);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: target, method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Answer['body'] = null;
        try { body = JSON.parse(text) as Answer['body']; } catch { body = null; }
        resolve({ status: res.statusCode ?? 0, headers, body, text });
        if (options.firstBytesOnly) req.destroy();
      });
    });
    req.on('error', reject);
    if (options.firstBytesOnly) req.write(options.body?.slice(0, 1024) ?? '');
    else req.end(options.body);
  });
}

/** Posts a body straight to a subgraph with a context signed by the shared secret (as a leaked secret or a replayed header would allow). */
async function direct(subgraph: keyof typeof subgraphUrl, body: string, header: string | null): Promise<Answer> {
  return answer(await fetch(subgraphUrl[subgraph], {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header ? { [INTERNAL_CONTEXT_HEADER]: header } : {}) },
    body,
  }));
}
const context = (tenantId: string, scopes: string[]): InternalContext => ({ tenantId, scopes, requestId: 'attack', keyId: 'attacker' });
const operation = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

const code = (a: Answer) => a.body?.errors?.[0]?.extensions?.code;

/** A normal query by the other tenant must answer within 1 s after every attack. */
async function graphStillAnswers(): Promise<void> {
  const started = performance.now();
  const ok = await gql('{ products(first: 1) { edges { node { id } } } }', {}, BETA_WRITE);
  const elapsed = performance.now() - started;
  tally.slowestNormalMs = Math.max(tally.slowestNormalMs, Math.round(elapsed));
  expect(ok.status).toBe(200);
  expect(ok.body?.errors).toBeUndefined();
  expect(elapsed).toBeLessThan(1_000);
}

/**
 * Runs one attack and counts it: refused when `refusedIf` holds, a leak otherwise (then the test fails
 * with the attack's name). `check` adds what must hold afterwards (nothing written, nothing seen).
 */
async function attack(name: string, run: () => Promise<Answer>, expected: { status: number | number[]; code?: string }, check?: (a: Answer) => Promise<void> | void): Promise<Answer> {
  tally.attempts++;
  const result = await run();
  const statuses = Array.isArray(expected.status) ? expected.status : [expected.status];
  const refused = statuses.includes(result.status) && (expected.code === undefined || code(result) === expected.code) && !hasData(result);
  if (!refused) {
    tally.leaks++;
    throw new Error(`${name}: expected ${statuses.join('/')} ${expected.code ?? ''}, got ${result.status} ${result.text.slice(0, 300)}`);
  }
  await check?.(result);
  tally.refused++;
  await graphStillAnswers();
  return result;
}

/** An isolation probe: counted as refused when the other tenant's data does not show. */
async function isolated(name: string, probe: () => Promise<boolean>): Promise<void> {
  tally.attempts++;
  const holds = await probe();
  if (!holds) {
    tally.leaks++;
    throw new Error(`tenant isolation broken: ${name}`);
  }
  tally.refused++;
  await graphStillAnswers();
}

function hasData(a: Answer): boolean {
  const data = a.body?.data;
  return !!data && Object.values(data).some((v) => v !== null);
}

const productBySku = async (sku: string, key = ALPHA_WRITE) => (await gql('query($s: String!) { productBySku(sku: $s) { id name } }', { s: sku }, key)).body!.data!.productBySku as { id: string; name: string } | null;
const reviewById = async (id: string, key = ALPHA_WRITE) => (await gql('query($id: ID!) { review(id: $id) { id text } }', { id }, key)).body!.data!.review as { id: string } | null;
const reviewCount = async (productId: string, key = ALPHA_WRITE) => (await gql('query($id: ID!) { product(id: $id) { reviews(first: 100) { edges { node { id } } } } }', { id: productId }, key)).body!.data!.product.reviews.edges.length as number;

const seeded = { alphaProduct: '', alphaReviews: [] as string[], betaProduct: '' };
const SHARED_SKU = 'ISO-SHARED-1';

beforeAll(async () => {
  stack = await startTestStack('sec', {
    workers: 1,
    keys: [
      { key: ALPHA_WRITE, name: 'alpha-writer', tenantId: 'alpha', scopes: ['read', 'write'] },
      { key: ALPHA_READ, name: 'alpha-reader', tenantId: 'alpha', scopes: ['read'] },
      { key: BETA_WRITE, name: 'beta-writer', tenantId: 'beta', scopes: ['read', 'write'] },
    ],
    env: { NODE_ENV: 'production', INTERNAL_SECRET: SECRET, CORS_ORIGINS: ALLOWED_ORIGIN, RATE_LIMIT_PER_MINUTE: '100000', MAX_BODY_BYTES: String(1024 * 1024) },
    write: (line) => output.push(line),
  });
  for (const name of ['collection', 'analysis', 'applications'] as const) {
    subgraphUrl[name] = stack.processes.find((p) => p.spec.name === name)!.spec.env[`${name.toUpperCase()}_URL`]!;
  }
  const upsert = `mutation($p: [ProductInput!]!) { upsertProducts(input: { products: $p }) { products { id } } }`;
  seeded.alphaProduct = (await gql(upsert, { p: [{ sku: SHARED_SKU, name: 'Alpha Watch', category: 'sport-watch' }] })).body!.data!.upsertProducts.products[0].id;
  seeded.betaProduct = (await gql(upsert, { p: [{ sku: SHARED_SKU, name: 'Beta Watch', category: 'sport-watch' }] }, BETA_WRITE)).body!.data!.upsertProducts.products[0].id;
  const submit = await gql(`mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } } }`, {
    r: [
      { productId: seeded.alphaProduct, rating: 2, text: 'The battery died after a day. Disappointed.' },
      { productId: seeded.alphaProduct, rating: 5, text: 'Accurate GPS and a strong battery.' },
      { productId: seeded.alphaProduct, rating: 4, text: 'Comfortable strap, bright screen.' },
    ],
  });
  seeded.alphaReviews = submit.body!.data!.submitReviews.accepted.map((r: { id: string }) => r.id);
  await eventually(async () => {
    const r = await gql('query($id: ID!) { product(id: $id) { insights { analyzedCount } } }', { id: seeded.alphaProduct });
    return r.body?.data?.product?.insights?.analyzedCount === 3 ? true : undefined;
  }, 90_000, "alpha's reviews analysed and counted");
}, 240_000);

afterAll(async () => {
  // The closing note cites this line.
  console.log(`security-auth tally: attempts=${tally.attempts} refused=${tally.refused} leaks=${tally.leaks} slowest normal query after an attack=${tally.slowestNormalMs} ms`);
  await stack?.stop();
});

describe('item 1: scopes are decided on the operation that runs, and enforced by every subgraph', () => {
  const multi = (mutation: string) => `query R { __typename } mutation W { ${mutation} }`;

  it('refuses a read-only key the mutation it names with operationName (upsertProducts, submitReviews, deleteReviews, extendAspectTaxonomy), and nothing is written', async () => {
    await attack('multi-operation upsertProducts', () => gql(multi('upsertProducts(input: { products: [{ sku: "SEC-W-1", name: "written by a reader" }] }) { products { id } }'), {}, ALPHA_READ, { operationName: 'W' }), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await productBySku('SEC-W-1')).toBeNull());
    const before = await reviewCount(seeded.alphaProduct);
    await attack('multi-operation submitReviews', () => gql(multi(`submitReviews(input: { reviews: [{ productId: "${seeded.alphaProduct}", rating: 1, text: "written by a reader" }] }) { accepted { id } }`), {}, ALPHA_READ, { operationName: 'W' }), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await reviewCount(seeded.alphaProduct)).toBe(before));
    await attack('multi-operation deleteReviews', () => gql(multi(`deleteReviews(ids: ["${seeded.alphaReviews[0]}"]) { deleted }`), {}, ALPHA_READ, { operationName: 'W' }), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await reviewById(seeded.alphaReviews[0]!)).not.toBeNull());
    await attack('multi-operation extendAspectTaxonomy', () => gql(multi('extendAspectTaxonomy(input: { aspect: "reader-aspect", terms: ["readerterm"] }) { aspect }'), {}, ALPHA_READ, { operationName: 'W' }), { status: 403, code: 'FORBIDDEN' },
      async () => {
        const taxonomy = (await gql('{ aspectTaxonomy { aspect } }')).body!.data!.aspectTaxonomy as Array<{ aspect: string }>;
        expect(taxonomy.map((a) => a.aspect)).not.toContain('reader-aspect');
      });
    await attack('single mutation with a read-only key', () => gql('mutation { upsertProducts(input: { products: [{ sku: "SEC-W-2", name: "x" }] }) { products { id } } }', {}, ALPHA_READ), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await productBySku('SEC-W-2')).toBeNull());
    // The same document with a write key runs the named operation: the check is about scope, not shape.
    const allowed = await gql(multi('upsertProducts(input: { products: [{ sku: "SEC-W-3", name: "written by a writer" }] }) { products { id } }'), {}, ALPHA_WRITE, { operationName: 'W' });
    expect(allowed.body!.data!.upsertProducts.products).toHaveLength(1);
  });

  it('refuses a document with several operations and no, or an unknown, operationName', async () => {
    await attack('several operations, no operationName', () => gql(multi('upsertProducts(input: { products: [{ sku: "SEC-W-4", name: "x" }] }) { products { id } }'), {}, ALPHA_READ), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
      async () => expect(await productBySku('SEC-W-4')).toBeNull());
    await attack('unknown operationName', () => gql(multi('upsertProducts(input: { products: [{ sku: "SEC-W-5", name: "x" }] }) { products { id } }'), {}, ALPHA_READ, { operationName: 'Nope' }), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' },
      async () => expect(await productBySku('SEC-W-5')).toBeNull());
  });

  it('each subgraph refuses a validly signed context whose scopes do not cover the operation (403 FORBIDDEN)', async () => {
    const upsert = operation('mutation { upsertProducts(input: { products: [{ sku: "SEC-D-1", name: "direct" }] }) { products { id } } }');
    await attack('collection mutation with scopes [read]', () => direct('collection', upsert, signInternalContext(context('alpha', ['read']), SECRET, upsert)), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await productBySku('SEC-D-1')).toBeNull());
    await attack('collection mutation with scopes []', () => direct('collection', upsert, signInternalContext(context('alpha', []), SECRET, upsert)), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await productBySku('SEC-D-1')).toBeNull());
    const del = operation('mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted } }', { ids: [seeded.alphaReviews[1]] });
    await attack('collection deleteReviews with scopes [read]', () => direct('collection', del, signInternalContext(context('alpha', ['read']), SECRET, del)), { status: 403, code: 'FORBIDDEN' },
      async () => expect(await reviewById(seeded.alphaReviews[1]!)).not.toBeNull());
    const read = operation('{ products(first: 100) { edges { node { id } } } }');
    await attack('collection read with scopes []', () => direct('collection', read, signInternalContext(context('alpha', []), SECRET, read)), { status: 403, code: 'FORBIDDEN' });
    const extend = operation('mutation { extendAspectTaxonomy(input: { aspect: "direct-aspect", terms: ["directterm"] }) { aspect } }');
    await attack('analysis mutation with scopes [read]', () => direct('analysis', extend, signInternalContext(context('alpha', ['read']), SECRET, extend)), { status: 403, code: 'FORBIDDEN' },
      async () => {
        const taxonomy = (await gql('{ aspectTaxonomy { aspect } }')).body!.data!.aspectTaxonomy as Array<{ aspect: string }>;
        expect(taxonomy.map((a) => a.aspect)).not.toContain('direct-aspect');
      });
    const analysisEntities = operation('query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { analysis { status } } } }', { r: [{ __typename: 'Review', id: seeded.alphaReviews[0] }] });
    await attack('analysis _entities with scopes []', () => direct('analysis', analysisEntities, signInternalContext(context('alpha', []), SECRET, analysisEntities)), { status: 403, code: 'FORBIDDEN' });
    const infer = operation('{ analyzeText(text: "Great battery.") { sentiment { label } } }');
    await attack('analysis analyzeText with scopes []', () => direct('analysis', infer, signInternalContext(context('alpha', []), SECRET, infer)), { status: 403, code: 'FORBIDDEN' });
    const insights = operation('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { reviewCount } } } }', { r: [{ __typename: 'Product', id: seeded.alphaProduct }] });
    await attack('applications _entities with scopes []', () => direct('applications', insights, signInternalContext(context('alpha', []), SECRET, insights)), { status: 403, code: 'FORBIDDEN' });
  });
});

describe('item 2: one guard covers every path', () => {
  const introspection = JSON.stringify({ query: '{ __schema { queryType { name } } products { edges { node { id } } } }' });
  const json = { 'content-type': 'application/json' };

  it('answers 404 on every path that is not exactly /graphql, /health or /metrics, with or without a key; /graphql?x still needs a key', async () => {
    const variants = ['/graphql/', '//graphql', '/GRAPHQL', '/Graphql', '/%67raphql', '/graphql%2F', '/graphql/.', '/./graphql', '/graphql/../graphql', '/graphql;x', '/graphql%00', '/healthcheck', '/readiness', '/graphql/graphql', 'http://evil.example/graphql'];
    for (const target of variants) {
      await attack(`path ${target} without a key`, () => raw(target, { headers: json, body: introspection }), { status: 404, code: 'NOT_FOUND' });
      await attack(`path ${target} with a key`, () => raw(target, { headers: { ...json, 'x-api-key': ALPHA_WRITE }, body: introspection }), { status: 404, code: 'NOT_FOUND' });
    }
    for (const target of ['/graphql?x', '/graphql?', '/graphql?query=%7B__typename%7D']) {
      await attack(`path ${target} without a key`, () => raw(target, { headers: json, body: introspection }), { status: 401, code: 'UNAUTHENTICATED' });
    }
    const withQuery = await raw('/graphql?x', { headers: { ...json, 'x-api-key': ALPHA_WRITE }, body: JSON.stringify({ query: '{ productBySku(sku: "ISO-SHARED-1") { name } }' }) });
    expect(withQuery.body!.data!.productBySku.name).toBe('Alpha Watch');
  });

  it('rate-limits and caps the body on the one path it serves, whatever the query string', async () => {
    const huge = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(3_000_000) } });
    await attack('oversized body on /graphql?x', () => raw('/graphql?x', { headers: { ...json, 'x-api-key': ALPHA_WRITE, 'content-length': String(Buffer.byteLength(huge)) }, body: huge, firstBytesOnly: true }), { status: 413 });
    // Without a key the gateway answers before reading any of a body it was promised (here 3 MB, 1 KB sent).
    await attack('anonymous body the gateway would have to buffer', () => raw('/graphql', { headers: { ...json, 'content-length': String(Buffer.byteLength(huge)) }, body: huge, firstBytesOnly: true }), { status: 401, code: 'UNAUTHENTICATED' });
  });
});

describe('item 5: the signed context is bound to its request and short-lived', () => {
  const query = operation('{ products(first: 100) { edges { node { id name } } } }');
  const mutation = operation('mutation { upsertProducts(input: { products: [{ sku: "SEC-R-1", name: "replayed" }] }) { products { id } } }');

  it('refuses a header used twice, or replayed with another body, another operation name or other variables (401)', async () => {
    const captured = signInternalContext(context('alpha', ['read', 'write']), SECRET, query);
    expect((await direct('collection', query, captured)).status).toBe(200);
    await attack('replayed header, same body', () => direct('collection', query, captured), { status: 401, code: 'UNAUTHENTICATED' });
    await attack('replayed header, different operation', () => direct('collection', mutation, captured), { status: 401, code: 'UNAUTHENTICATED' },
      async () => expect(await productBySku('SEC-R-1')).toBeNull());
    const withName = JSON.stringify({ ...JSON.parse(query), operationName: 'Other' });
    await attack('replayed header, different operationName', () => direct('collection', withName, captured), { status: 401, code: 'UNAUTHENTICATED' });
    const withVariables = JSON.stringify({ ...JSON.parse(query), variables: { extra: 1 } });
    await attack('replayed header, different variables', () => direct('collection', withVariables, captured), { status: 401, code: 'UNAUTHENTICATED' });
    for (const subgraph of ['analysis', 'applications'] as const) {
      await attack(`replayed header to ${subgraph}`, () => direct(subgraph, operation('{ __typename }'), captured), { status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses stale, future, forged and missing contexts (401)', async () => {
    const now = Date.now();
    const sign = (iat: number, secret = SECRET) => signInternalContext(context('alpha', ['read', 'write']), secret, mutation, iat);
    const cases: Array<[string, string | null]> = [
      ['iat 61 s old', sign(now - 61_000)],
      ['iat 5 min old', sign(now - 5 * 60_000)],
      ['iat 10 s in the future', sign(now + 10_000)],
      ['iat 4 min in the future', sign(now + 4 * 60_000)],
      ['another secret', sign(now, 'another-secret-entirely-0123456789')],
      ['no header', null],
    ];
    for (const subgraph of ['collection', 'analysis', 'applications'] as const) {
      for (const [name, header] of cases) {
        await attack(`${subgraph}: ${name}`, () => direct(subgraph, mutation, header), { status: 401, code: 'UNAUTHENTICATED' },
          async () => expect(await productBySku('SEC-R-1')).toBeNull());
      }
    }
  });

  it('the gateway itself signs each subgraph request for its body: a normal federated query across all three subgraphs answers', async () => {
    const result = await gql('query($id: ID!) { product(id: $id) { name reviews(first: 5) { edges { node { analysis { status } } } } insights { reviewCount } reviewsMentioning(aspect: "battery") { edges { node { id } } } } }', { id: seeded.alphaProduct });
    expect(result.body!.errors).toBeUndefined();
    expect(result.body!.data!.product.insights.reviewCount).toBe(3);
    expect(result.body!.data!.product.reviews.edges.every((e: { node: { analysis: { status: string } } }) => e.node.analysis.status === 'DONE')).toBe(true);
  });
});

describe('item 7: production defaults', () => {
  it('refuses introspection in production', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Product") { fields { name } } }', 'query { ...F } fragment F on Query { __schema { queryType { name } } }', '{ a: __schema { queryType { name } } }']) {
      await attack(`introspection ${query}`, () => gql(query), { status: [400, 200], code: 'GRAPHQL_VALIDATION_FAILED' });
    }
  });

  it('gives no "Did you mean" suggestions in production', async () => {
    for (const query of ['{ prodcts { edges { cursor } } }', '{ products { edges { node { nme } } } }', '{ product(idd: "x") { id } }']) {
      const result = await attack(`suggestions ${query}`, () => gql(query), { status: [400, 200], code: 'GRAPHQL_VALIDATION_FAILED' });
      const messages = result.body!.errors!.map((e) => e.message).join(' ');
      expect(messages).toMatch(/^Cannot query field|^Unknown argument/);
      expect(messages).not.toMatch(/did you mean/i);
      expect(messages).not.toMatch(/"products"|"name"/);
    }
    const enumValue = await attack('enum suggestion in variables', () => gql('query($id: ID!, $p: Polarity) { product(id: $id) { reviewsMentioning(aspect: "battery", polarity: $p) { edges { cursor } } } }', { id: seeded.alphaProduct, p: 'NEGATIV' }), { status: [400, 200] });
    expect(enumValue.text).not.toMatch(/did you mean/i);
  });

  it('sends CORS headers only to listed origins, never with credentials', async () => {
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example', 'http://app.example.com']) {
      const preflight = await attack(`CORS preflight from ${origin}`, () => raw('/graphql', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' } }), { status: [204, 401, 404] });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const post = await gql('{ products(first: 1) { edges { cursor } } }', {}, ALPHA_WRITE, { headers: { origin } });
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
      expect(post.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const allowed = await raw('/graphql', { method: 'OPTIONS', headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-api-key/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses form, multipart and text/plain posts (CSRF), with or without a key, and executes nothing', async () => {
    const mutation = 'mutation { upsertProducts(input: { products: [{ sku: "SEC-CSRF-1", name: "cross-site" }] }) { products { id } } }';
    const form = new URLSearchParams({ query: mutation }).toString();
    const boundary = '----sec';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: mutation })}\r\n--${boundary}--\r\n`;
    const bodies: Array<[string, string, string]> = [
      ['form', 'application/x-www-form-urlencoded', form],
      ['multipart', `multipart/form-data; boundary=${boundary}`, multipart],
      ['text/plain', 'text/plain', JSON.stringify({ query: mutation })],
      ['text/plain;charset', 'text/plain; charset=utf-8', JSON.stringify({ query: mutation })],
      ['application/graphql', 'application/graphql', mutation],
    ];
    for (const [name, type, body] of bodies) {
      await attack(`${name} post with a key`, () => raw('/graphql', { headers: { 'content-type': type, 'x-api-key': ALPHA_WRITE }, body }), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
        async () => expect(await productBySku('SEC-CSRF-1')).toBeNull());
      await attack(`${name} post without a key`, () => raw('/graphql', { headers: { 'content-type': type }, body }), { status: [401, 415] },
        async () => expect(await productBySku('SEC-CSRF-1')).toBeNull());
    }
    await attack('post without content-type', () => raw('/graphql', { headers: { 'x-api-key': ALPHA_WRITE }, body: JSON.stringify({ query: mutation }) }), { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      async () => expect(await productBySku('SEC-CSRF-1')).toBeNull());
    await attack('mutation over GET', () => raw(`/graphql?query=${encodeURIComponent(mutation)}`, { method: 'GET', headers: { 'x-api-key': ALPHA_WRITE } }), { status: [405] },
      async () => expect(await productBySku('SEC-CSRF-1')).toBeNull());
    const get = await raw(`/graphql?query=${encodeURIComponent('{ productBySku(sku: "ISO-SHARED-1") { name } }')}`, { method: 'GET', headers: { 'x-api-key': ALPHA_WRITE } });
    expect(get.body!.data!.productBySku.name).toBe('Alpha Watch');
  });

  it('serves /metrics only with a key', async () => {
    const metricsUrl = stack.gatewayUrl.replace('/graphql', '/metrics');
    await attack('/metrics without a key', async () => answer(await fetch(metricsUrl)), { status: 401, code: 'UNAUTHENTICATED' }, (a) => {
      expect(a.text).not.toMatch(/reviewgraph_http_requests_total/);
      expect(a.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });
    await attack('/metrics with a wrong key', async () => answer(await fetch(metricsUrl, { headers: { authorization: 'Bearer not-a-real-key-0000000000' } })), { status: 401, code: 'UNAUTHENTICATED' });
    await attack('/metrics?x without a key', () => raw('/metrics?x', { method: 'GET' }), { status: 401, code: 'UNAUTHENTICATED' });
    const ok = await fetch(metricsUrl, { headers: { 'x-api-key': ALPHA_READ } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/reviewgraph_http_requests_total/);
  });
});

describe('item 7: the production defaults are switches', () => {
  /** A second gateway process over the same subgraphs, with its own settings. */
  async function withGateway(env: Record<string, string>, probe: (base: string) => Promise<void>): Promise<void> {
    const port = await freePort();
    const gateway = await startHealthy({
      name: 'gateway-switches',
      entry: 'gateway/src/index.ts',
      env: {
        LOG_LEVEL: 'warn', INTERNAL_SECRET: SECRET, GATEWAY_PORT: String(port),
        COLLECTION_URL: subgraphUrl.collection, ANALYSIS_URL: subgraphUrl.analysis, APPLICATIONS_URL: subgraphUrl.applications,
        API_KEYS: JSON.stringify([{ key: ALPHA_WRITE, name: 'alpha-writer', tenantId: 'alpha', scopes: ['read', 'write'] }]), ...env,
      },
    }, `http://127.0.0.1:${port}/health`, (line) => output.push(line), 60_000);
    try {
      await probe(`http://127.0.0.1:${port}`);
    } finally {
      await stopAll([gateway]);
    }
  }
  const post = async (base: string, query: string) => answer(await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': ALPHA_WRITE }, body: JSON.stringify({ query }) }));
  const introspect = '{ __schema { queryType { name } } }';
  const typo = '{ prodcts { edges { cursor } } }';
  const token = 'metrics-scraper-token-0123456789';

  it('turns introspection and suggestions back on when configured, or outside production; METRICS_TOKEN and METRICS_PUBLIC open /metrics; CSRF prevention holds without keys', async () => {
    await withGateway({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true', GRAPHQL_SUGGESTIONS: 'true', METRICS_TOKEN: token }, async (base) => {
      expect((await post(base, introspect)).body!.data!.__schema.queryType.name).toBe('Query');
      expect((await post(base, typo)).body!.errors![0]!.message).toMatch(/Did you mean "products"/);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
    });
    // Without API_KEYS (a laptop) no key is needed, so CSRF prevention is what stops a cross-site GET or form.
    await withGateway({ NODE_ENV: 'development', API_KEYS: '' }, async (base) => {
      const target = `${base}/graphql?query=${encodeURIComponent('{ __typename }')}`;
      const simpleGet = await answer(await fetch(target));
      expect(simpleGet.status).toBe(403);
      expect(simpleGet.body!.data ?? null).toBeNull();
      expect((await answer(await fetch(target, { headers: { 'x-graphql-yoga-csrf': '1' } }))).body!.data!.__typename).toBe('Query');
      const form = await answer(await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: 'mutation { upsertProducts(input: { products: [{ sku: "SEC-CSRF-2", name: "x" }] }) { products { id } } }' }).toString() }));
      expect(form.status).toBe(415);
    });
    await withGateway({ NODE_ENV: 'development', METRICS_PUBLIC: 'true' }, async (base) => {
      expect((await post(base, introspect)).body!.data!.__schema.queryType.name).toBe('Query');
      expect((await post(base, typo)).body!.errors![0]!.message).toMatch(/Did you mean "products"/);
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
    });
  });
});

describe('item 8: a 401 says how to authenticate', () => {
  it('sends WWW-Authenticate and names both x-api-key and Authorization: Bearer; both work', async () => {
    for (const [name, headers] of [['no key', {}], ['wrong x-api-key', { 'x-api-key': 'wrong-key-0123456789abcdef' }], ['wrong bearer', { authorization: 'Bearer wrong-key-0123456789abcdef' }], ['basic auth', { authorization: 'Basic YTpi' }]] as const) {
      const refused = await attack(`401 with ${name}`, () => gql('{ products { edges { cursor } } }', {}, null, { headers }), { status: 401, code: 'UNAUTHENTICATED' });
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="reviewgraph"');
      expect(refused.body!.errors![0]!.message).toMatch(/x-api-key/);
      expect(refused.body!.errors![0]!.message).toMatch(/Authorization: Bearer/);
    }
    const bearer = await gql('{ productBySku(sku: "ISO-SHARED-1") { name } }', {}, null, { headers: { authorization: `Bearer ${ALPHA_READ}` } });
    expect(bearer.body!.data!.productBySku.name).toBe('Alpha Watch');
  });
});

describe('tenant isolation across all subgraphs (read, list, page, mutate, infer)', () => {
  it('reads: the other tenant sees none of alpha\'s products, reviews, analyses or insights', async () => {
    await isolated('product by id', async () => (await gql('query($id: ID!) { product(id: $id) { id name } }', { id: seeded.alphaProduct }, BETA_WRITE)).body!.data!.product === null);
    await isolated('review by id', async () => (await reviewById(seeded.alphaReviews[0]!, BETA_WRITE)) === null);
    await isolated('product by a SKU both tenants use', async () => (await productBySku(SHARED_SKU, BETA_WRITE))?.name === 'Beta Watch');
    await isolated('beta product has no alpha reviews, mentions or insights', async () => {
      const r = await gql('query($id: ID!) { product(id: $id) { reviews(first: 100) { edges { node { id } } } reviewsMentioning(aspect: "battery") { edges { node { id } } } insights { reviewCount } } }', { id: seeded.betaProduct }, BETA_WRITE);
      const p = r.body!.data!.product;
      return p.reviews.edges.length === 0 && p.reviewsMentioning.edges.length === 0 && (p.insights === null || p.insights.reviewCount === 0);
    });
    // Straight at the subgraphs with beta's valid context: entity references to alpha's ids resolve to nothing of alpha's.
    const beta = (body: string) => signInternalContext(context('beta', ['read']), SECRET, body);
    const collection = operation('query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { id text } ... on Product { id name } } }', { r: [{ __typename: 'Review', id: seeded.alphaReviews[0] }, { __typename: 'Product', id: seeded.alphaProduct }] });
    await isolated('collection _entities', async () => (await direct('collection', collection, beta(collection))).body!.data!._entities.every((e: unknown) => e === null));
    const analysis = operation('query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { analysis { status sentiment { label } } } ... on Product { reviewsMentioning(aspect: "battery") { edges { node { id } } } } } }', { r: [{ __typename: 'Review', id: seeded.alphaReviews[0] }, { __typename: 'Product', id: seeded.alphaProduct }] });
    await isolated('analysis _entities', async () => {
      const entities = (await direct('analysis', analysis, beta(analysis))).body!.data!._entities;
      return entities[0].analysis.status === 'PENDING' && entities[0].analysis.sentiment === null && entities[1].reviewsMentioning.edges.length === 0;
    });
    const applications = operation('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { insights { reviewCount } } } }', { r: [{ __typename: 'Product', id: seeded.alphaProduct }] });
    await isolated('applications _entities', async () => (await direct('applications', applications, beta(applications))).body!.data!._entities[0].insights === null);
  });

  it('concurrent identical queries of two tenants each get their own data (no shared upstream request)', async () => {
    // Same document, same subgraph body: a gateway that merges in-flight subgraph requests would answer both tenants from one.
    const query = '{ productBySku(sku: "ISO-SHARED-1") { name reviews(first: 5) { edges { node { id } } } } }';
    await isolated('40 concurrent identical queries, alpha and beta interleaved', async () => {
      const keys = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? ALPHA_WRITE : BETA_WRITE));
      const answers = await Promise.all(keys.map((key) => gql(query, {}, key)));
      return answers.every((a, i) => {
        const product = a.body!.data!.productBySku;
        return keys[i] === ALPHA_WRITE ? product.name === 'Alpha Watch' && product.reviews.edges.length === 3 : product.name === 'Beta Watch' && product.reviews.edges.length === 0;
      });
    });
  });

  it('lists and pages: beta lists only its own products, even from alpha\'s cursors', async () => {
    const alphaPage = (await gql('{ products(first: 1) { edges { cursor node { id } } } }')).body!.data!.products.edges;
    const alphaReviewsPage = (await gql('query($id: ID!) { product(id: $id) { reviews(first: 1) { edges { cursor } } } }', { id: seeded.alphaProduct })).body!.data!.product.reviews.edges;
    await isolated('products list', async () => {
      const ids = (await gql('{ products(first: 100) { edges { node { id } } } }', {}, BETA_WRITE)).body!.data!.products.edges.map((e: { node: { id: string } }) => e.node.id);
      return ids.length > 0 && !ids.includes(seeded.alphaProduct) && ids.includes(seeded.betaProduct);
    });
    // Another tenant's cursor may page beta's own list or be refused as a foreign cursor; it never yields alpha's entries.
    const refusedCursor = (r: Answer) => !hasData(r) && code(r) === 'BAD_USER_INPUT';
    await isolated('products page after alpha\'s cursor', async () => {
      const r = await gql('query($after: String) { products(first: 100, after: $after) { edges { node { id } } } }', { after: alphaPage[0].cursor }, BETA_WRITE);
      return refusedCursor(r) || r.body!.data!.products.edges.every((e: { node: { id: string } }) => e.node.id !== seeded.alphaProduct);
    });
    await isolated('reviews page of beta\'s product after alpha\'s review cursor', async () => {
      const r = await gql('query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { id } } } } }', { id: seeded.betaProduct, after: alphaReviewsPage[0].cursor }, BETA_WRITE);
      return refusedCursor(r) || r.body!.data!.product.reviews.edges.every((e: { node: { id: string } }) => !seeded.alphaReviews.includes(e.node.id));
    });
    await isolated('alpha\'s product page with alpha\'s review cursor, asked by beta', async () => {
      const r = await gql('query($id: ID!, $after: String) { product(id: $id) { reviews(first: 100, after: $after) { edges { node { id } } } } }', { id: seeded.alphaProduct, after: alphaReviewsPage[0].cursor }, BETA_WRITE);
      return refusedCursor(r) || r.body!.data!.product === null;
    });
  });

  it('mutates: beta cannot delete, overwrite or add to alpha\'s data', async () => {
    await isolated('delete alpha\'s review', async () => {
      const r = await gql('mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted notFound } }', { ids: [seeded.alphaReviews[2]] }, BETA_WRITE);
      return r.body!.data!.deleteReviews.deleted.length === 0 && (await reviewById(seeded.alphaReviews[2]!)) !== null;
    });
    await isolated('upsert a SKU alpha also uses', async () => {
      await gql('mutation { upsertProducts(input: { products: [{ sku: "ISO-SHARED-1", name: "Beta Renamed" }] }) { products { id } } }', {}, BETA_WRITE);
      return (await productBySku(SHARED_SKU))?.name === 'Alpha Watch';
    });
    await isolated('submit a review to alpha\'s product', async () => {
      const before = await reviewCount(seeded.alphaProduct);
      const r = await gql('mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { code } } }', { r: [{ productId: seeded.alphaProduct, rating: 1, text: 'Planted by beta.' }] }, BETA_WRITE);
      return r.body!.data!.submitReviews.accepted.length === 0 && (await reviewCount(seeded.alphaProduct)) === before;
    });
  });

  it('infers: one tenant\'s taxonomy terms never change another tenant\'s analysis', async () => {
    const extended = await gql('mutation { extendAspectTaxonomy(input: { aspect: "battery", terms: ["zorbulator"] }) { aspect custom } }', {}, BETA_WRITE);
    expect(extended.body!.errors).toBeUndefined();
    const analyse = async (key: string) => ((await gql('{ analyzeText(text: "The zorbulator is terrible and died quickly.", category: "sport-watch") { aspects { aspect term } } }', {}, key)).body!.data!.analyzeText.aspects as Array<{ aspect: string; term: string }>)
      .filter((a) => a.term === 'zorbulator').map((a) => a.aspect);
    expect(await analyse(BETA_WRITE)).toEqual(['battery']);
    await isolated('analyzeText uses only the caller\'s taxonomy', async () => !(await analyse(ALPHA_WRITE)).includes('battery'));
    await isolated('aspectTaxonomy lists only the caller\'s terms', async () => {
      const taxonomy = (await gql('{ aspectTaxonomy(category: "sport-watch") { aspect terms custom } }')).body!.data!.aspectTaxonomy as Array<{ terms: string[]; custom: boolean }>;
      return taxonomy.every((a) => !a.terms.includes('zorbulator'));
    });
  });
});

it('leaves a tally with no leaks', () => {
  expect(tally.attempts).toBeGreaterThan(50);
  expect(tally.leaks).toBe(0);
  expect(tally.refused).toBe(tally.attempts);
});
