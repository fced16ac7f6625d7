import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../lib/schema/check.js';
import { renderCheckReport } from '../../lib/schema/check-report.js';
import { gatewayDatabase, loadUsageState } from '../../lib/schema/usage-source.js';
import { USAGE_COLLECTION, usageDocumentId, type UsageDocument } from '../../lib/schema/usage-store.js';
import { schemaWorkspace } from '../../lib/schema/workspace.js';
import type { Stack } from '../../lib/stack.js';
import { eventually } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';
import { fixtureWorkspace, replaceOnce } from '../support/schema-workspace.js';
import { startTestStack, type TestKey } from '../support/stack.js';

const run = promisify(execFile);
const FULL_KEY = 'schema-e2e-full-key-0123456789ab';
const PARTNER_KEY = 'schema-e2e-partner-key-012345678';
const keys: Array<TestKey & { contract?: string }> = [
  { key: FULL_KEY, name: 'schema-full', tenantId: 'schemae2e', scopes: ['read', 'write'] },
  { key: PARTNER_KEY, name: 'schema-partner', tenantId: 'schemae2e', scopes: ['read'], contract: 'partner' },
];
const prefix = uniqueName('schemausage').toLowerCase();
let stack: Stack;
let mongo: MongoClient;
const output: string[] = [];

async function gql(query: string, key: string, client?: { name: string; version: string }) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...(client ? { 'graphql-client-name': client.name, 'graphql-client-version': client.version } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

beforeAll(async () => {
  // startTestStack derives DB_PREFIX from the label; the usage store is the gateway's own database under it.
  stack = await startTestStack(prefix, { workers: 0, keys: keys as TestKey[], env: { DB_PREFIX: prefix, SCHEMA_USAGE_FLUSH_MS: '300' }, write: (line) => output.push(line) });
  mongo = await MongoClient.connect(testInfra().mongoUri);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await mongo?.db(gatewayDatabase(prefix)).dropDatabase().catch(() => undefined);
  await mongo?.close();
});

describe('contracts: the partner key is served the partner graph', () => {
  it('answers the partner key from the contract (analyzeText) and refuses what the contract leaves out, while the full key sees everything', async () => {
    const analysed = await gql('{ analyzeText(text: "The battery is great.") { sentiment { label } } }', PARTNER_KEY);
    expect(analysed.body.errors).toBeUndefined();
    expect(analysed.body.data!.analyzeText.sentiment.label).toBe('POSITIVE');

    const hidden = await gql('{ products(first: 1) { edges { node { id } } } }', PARTNER_KEY);
    expect(hidden.body.errors![0]!.message).toMatch(/Cannot query field "products" on type "Query"/);
    expect(hidden.body.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const types = await gql('{ __schema { queryType { fields { name } } } }', PARTNER_KEY);
    const partnerFields = types.body.data!.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(partnerFields).toContain('analyzeText');
    expect(partnerFields).not.toContain('products');
    expect(partnerFields).not.toContain('webhooks');

    const full = await gql('{ products(first: 1) { edges { node { id } } } }', FULL_KEY);
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.products.edges).toEqual([]);
  });
});

describe('usage: the gateway records coordinates per client, flushed in batches', () => {
  const db = () => mongo.db(gatewayDatabase(prefix)).collection<UsageDocument>(USAGE_COLLECTION);

  it('aggregates sampled operations per client name and version into a few documents, and schema:usage shows who uses a field', async () => {
    for (let i = 0; i < 30; i++) await gql('{ product(id: "000000000000000000000000") { name } }', FULL_KEY, { name: 'storefront', version: '2.1.0' });
    for (let i = 0; i < 12; i++) await gql('{ products(first: 2) { edges { node { sku } } } }', FULL_KEY, { name: 'admin', version: '0.9.1' });
    await gql('{ analyzeText(text: "ok") { status } }', PARTNER_KEY);
    const docs = await eventually(async () => {
      const all = await db().find({}).toArray();
      const sum = (name: string) => all.filter((d) => d.clientName === name).reduce((n, d) => n + d.operations, 0);
      return sum('storefront') >= 30 && sum('admin') >= 12 && sum('unknown') >= 1 ? all : undefined;
    }, 20_000, 'usage flushed for all three clients');
    // Flushed per client per interval, not written per request.
    expect(docs.length).toBeLessThan(43);
    const storefront = docs.filter((d) => d.clientName === 'storefront');
    expect(storefront.every((d) => d.clientVersion === '2.1.0' && d.sampleRate === 1)).toBe(true);
    const nameCount = storefront.flatMap((d) => d.coordinates).filter((c) => c.coordinate === 'Product.name').reduce((n, c) => n + c.count, 0);
    expect(nameCount).toBe(30);
    expect(storefront.flatMap((d) => d.coordinates.map((c) => c.coordinate))).toEqual(expect.arrayContaining(['Query.product', 'Query.product.id', 'Product.name']));

    const env = { ...process.env, MONGODB_URI: testInfra().mongoUri, DB_PREFIX: prefix };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/schema-usage.ts', 'Product.name', 'Product.sku', 'Review.title'], { env });
    expect(stdout).toMatch(/Product\.name: 30 operations/);
    expect(stdout).toMatch(/\n {2}storefront 2\.1\.0: 30\n/);
    expect(stdout).toMatch(/Product\.sku: 12 operations[^\n]*\n {2}admin 0\.9\.1: 12\n/);
    expect(stdout).toMatch(/Review\.title: 0 operations[^\n]*\n {2}no recorded operation touched it in the window/);
    expect(stdout).toContain('Deprecated and still in use:');
  });

  it('schema:check downgrades a break nobody uses with the evidence printed, and keeps a break of a used field BREAKING', async () => {
    await eventually(async () => ((await db().countDocuments({ clientName: 'storefront' })) > 0 ? true : undefined), 20_000, 'usage recorded');
    // The fixture's products subgraph shares Product.name, Product.code and Query.product with the real graph.
    const ws = fixtureWorkspace({ 'subgraphs/products.graphql': (t) => replaceOnce('  "The old name of sku."\n  code: String @deprecated(reason: "Use sku, which is unique per tenant")\n', '')(replaceOnce('  "The display name."\n  name: String! @tag(name: "partner")\n', '')(t)) });
    try {
      const usage = (days: number) => loadUsageState(testInfra().mongoUri, prefix, days);
      const { report } = await runSchemaCheck(schemaWorkspace(ws.root), usage);
      const text = renderCheckReport(report);
      const main = report.graphs.find((g) => g.name === 'main')!.changes;
      const code = main.find((c) => c.coordinate === 'Product.code')!;
      expect(code).toEqual(expect.objectContaining({ classification: 'BREAKING', effective: 'DANGEROUS' }));
      expect(code.usage!.lines.join('\n')).toMatch(/0 of \d+ operations \(0\.00%\) touched Product\.code/);
      expect(text).toContain('BREAKING→DANGEROUS FIELD_REMOVED  Product.code');
      expect(text).toContain('→ downgraded to DANGEROUS: no registered operation uses it and recorded use is within the threshold');
      const name = main.find((c) => c.coordinate === 'Product.name')!;
      expect(name.effective).toBe('BREAKING');
      expect(name.usage!.lines.join('\n')).toMatch(/30 of \d+ operations \([\d.]+%\) touched Product\.name — storefront 2\.1\.0: 30/);
      expect(report.passed).toBe(false);
      expect(report.usage.status).toBe('ok');

      // With no registered operation using it, a percentage threshold above storefront's share lets the Product.name break through as well.
      ws.write('schema/operations/storefront.graphql', 'query ReviewCard($id: ID!) { review(id: $id) { rating } }\n');
      ws.write('schema/usage-policy.json', JSON.stringify({ windowDays: 30, threshold: '90%', minimumOperations: 10 }));
      const lenient = await runSchemaCheck(schemaWorkspace(ws.root), usage);
      const lenientName = lenient.report.graphs[0]!.changes.find((c) => c.coordinate === 'Product.name')!;
      expect(lenientName.effective).toBe('DANGEROUS');
      expect(lenientName.usage!.lines.join('\n')).toMatch(/registered operations: none of 1 operation in schema\/operations uses Product\.name[\s\S]*threshold at most 90% of operations/);
    } finally {
      ws.remove();
    }
  });

  it('schema:usage lists the deprecated fields still in use, with their clients', async () => {
    // The fixture graph deprecates Product.code; its usage is written as the gateway writes a flush.
    const other = `${prefix}_dep`;
    const now = new Date();
    await mongo.db(gatewayDatabase(other)).collection<UsageDocument>(USAGE_COLLECTION).insertOne({
      _id: usageDocumentId(now), from: new Date(now.getTime() - 60_000).toISOString(), to: now.toISOString(), clientName: 'legacy-app', clientVersion: '1.0.3',
      sampleRate: 0.5, operations: 20, coordinates: [{ coordinate: 'Query.product', count: 20 }, { coordinate: 'Product.code', count: 7 }],
    });
    const ws = fixtureWorkspace();
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/schema-usage.ts', '--root', ws.root], { env: { ...process.env, MONGODB_URI: testInfra().mongoUri, DB_PREFIX: other } });
      expect(stdout).toContain('40 operations (estimated from samples) by 1 client versions');
      expect(stdout).toContain('Deprecated and still in use: 1 of 1 deprecated fields and arguments');
      expect(stdout).toContain('  Product.code (Use sku, which is unique per tenant): 14 operations — legacy-app 1.0.3: 14');
    } finally {
      ws.remove();
      await mongo.db(gatewayDatabase(other)).dropDatabase();
    }
  });

  it('an empty or unreachable usage store is said plainly and downgrades nothing', async () => {
    const ws = fixtureWorkspace({ 'subgraphs/products.graphql': replaceOnce('  "The old name of sku."\n  code: String @deprecated(reason: "Use sku, which is unique per tenant")\n', '') });
    try {
      const empty = await runSchemaCheck(schemaWorkspace(ws.root), (days) => loadUsageState(testInfra().mongoUri, `${prefix}_none`, days));
      expect(empty.report.usage).toEqual(expect.objectContaining({ status: 'empty', message: expect.stringContaining('holds no operations recorded in the last 30 days') }));
      expect(empty.report.graphs[0]!.changes[0]).toEqual(expect.objectContaining({ coordinate: 'Product.code', effective: 'BREAKING' }));
      expect(renderCheckReport(empty.report)).toContain('usage data: the usage store');
      const down = await runSchemaCheck(schemaWorkspace(ws.root), (days) => loadUsageState('mongodb://127.0.0.1:1/', prefix, days));
      expect(down.report.usage.status).toBe('unreachable');
      expect(down.report.usage.message).toMatch(/is unreachable \(MongoServerSelectionError/);
      expect(down.report.graphs[0]!.changes[0]!.effective).toBe('BREAKING');
      expect(down.report.passed).toBe(false);
    } finally {
      ws.remove();
    }
  });
});
