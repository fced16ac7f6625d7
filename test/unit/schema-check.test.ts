import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runSchemaCheck, type CheckReport } from '../../lib/schema/check.js';
import { renderCheckReport } from '../../lib/schema/check-report.js';
import type { UsageState } from '../../lib/schema/usage-evidence.js';
import { schemaWorkspace } from '../../lib/schema/workspace.js';
import { fixtureWorkspace, replaceOnce } from '../support/schema-workspace.js';

const run = promisify(execFile);
const withoutUsageStore = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MONGODB_URI'));
const noUsage = async (): Promise<UsageState> => ({ status: 'not-configured', message: 'MONGODB_URI is not set' });
const cleanups: Array<() => void> = [];
afterEach(() => { while (cleanups.length) cleanups.pop()!(); });

async function check(edits: Parameters<typeof fixtureWorkspace>[0] = {}): Promise<{ report: CheckReport; text: string; root: string }> {
  const ws = fixtureWorkspace(edits);
  cleanups.push(ws.remove);
  const { report } = await runSchemaCheck(schemaWorkspace(ws.root), noUsage);
  return { report, text: renderCheckReport(report), root: ws.root };
}

const changes = (report: CheckReport, graph = 'main') => report.graphs.find((g) => g.name === graph)!.changes;
const PRODUCTS = 'subgraphs/products.graphql';
const REVIEWS = 'subgraphs/reviews.graphql';
const APPROVALS = 'schema/approvals.json';

describe('schema check: classification against the last published version', () => {
  it('passes the published fixture unchanged, with every graph composed and nothing changed', async () => {
    const { report, text } = await check();
    expect(report.passed, text).toBe(true);
    expect(report.graphs.map((g) => [g.name, g.composed, g.baseline, g.changes.length])).toEqual([['main', true, 'v0001', 0], ['partner', true, 'v0001', 0]]);
    expect(text).toContain('Result: PASS');
  });

  it('a new optional field is SAFE and passes', async () => {
    const { report } = await check({ [PRODUCTS]: replaceOnce('  sku: String!\n', '  sku: String!\n  "Colour, if any."\n  colour: String\n') });
    expect(changes(report).map((c) => [c.type, c.coordinate, c.classification, c.effective])).toEqual([['FIELD_ADDED', 'Product.colour', 'SAFE', 'SAFE'], ['FIELD_DESCRIPTION_ADDED', 'Product.colour', 'SAFE', 'SAFE']]);
    expect(report.passed).toBe(true);
  });

  it('a new enum value is DANGEROUS: reported, not failing', async () => {
    const { report, text } = await check({ [REVIEWS]: replaceOnce('  PUBLISHED\n', '  PUBLISHED\n  "Hidden by moderation."\n  REJECTED\n') });
    expect(changes(report)).toContainEqual(expect.objectContaining({ type: 'ENUM_VALUE_ADDED', coordinate: 'ReviewState.REJECTED', classification: 'DANGEROUS' }));
    expect(report.passed).toBe(true);
    expect(text).toMatch(/DANGEROUS\s+ENUM_VALUE_ADDED\s+ReviewState\.REJECTED/);
  });

  it('a removed field is BREAKING and fails, naming the registered operation that uses it and printing the approval to commit', async () => {
    const { report, text } = await check({ [PRODUCTS]: replaceOnce('  "Stock keeping unit."\n  sku: String!\n', '') });
    expect(changes(report)).toEqual([expect.objectContaining({ type: 'FIELD_REMOVED', coordinate: 'Product.sku', classification: 'BREAKING', effective: 'BREAKING', approved: null })]);
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual(['1 unapproved breaking change']);
    expect(text).toContain('registered operations using Product.sku: ProductPage (schema/operations/storefront.graphql)');
    expect(text).toContain('"coordinate": "Product.sku"');
    expect(report.registeredOperations.invalidAgainstNewSchema).toEqual([expect.objectContaining({ name: 'ProductPage' })]);
  });

  it('a change to a field only the contract sees is diffed in the contract too: untagging Review.rating breaks "partner" alone', async () => {
    const { report } = await check({ [REVIEWS]: replaceOnce('rating: Int! @tag(name: "partner")', 'rating: Int!') });
    expect(changes(report)).toEqual([]);
    expect(changes(report, 'partner')).toEqual([expect.objectContaining({ graph: 'partner', type: 'FIELD_REMOVED', coordinate: 'Review.rating', classification: 'BREAKING' })]);
    expect(report.passed).toBe(false);
  });
});

describe('schema check: approvals', () => {
  const removeSku = { [PRODUCTS]: replaceOnce('  "Stock keeping unit."\n  sku: String!\n', '') };
  const approval = (changes: unknown[]) => JSON.stringify({ approvals: [{ by: 'ana@example.com', reason: 'sku moves to the inventory subgraph next release', changes }] });

  it('an approval of exactly that change (graph, type, coordinate) lets the break pass, and the report says who and why', async () => {
    const { report, text } = await check({ ...removeSku, [APPROVALS]: approval([{ graph: 'main', type: 'FIELD_REMOVED', coordinate: 'Product.sku' }]) });
    expect(changes(report)[0]!.approved).toEqual({ by: 'ana@example.com', reason: 'sku moves to the inventory subgraph next release' });
    expect(report.passed, text).toBe(true);
    expect(text).toContain('approved by ana@example.com');
  });

  it('an approval of another change type at the same coordinate is not honoured and is reported stale', async () => {
    const { report, text } = await check({ ...removeSku, [APPROVALS]: approval([{ type: 'FIELD_TYPE_CHANGED', coordinate: 'Product.sku' }]) });
    expect(changes(report)[0]!.approved).toBeNull();
    expect(report.passed).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ code: 'APPROVAL_STALE', message: expect.stringContaining('the diff has FIELD_REMOVED (BREAKING) there, not FIELD_TYPE_CHANGED') })]);
    expect(text).toContain('APPROVAL_STALE');
  });

  it('an approval for another graph (the contract) does not approve the main graph\'s change', async () => {
    const { report } = await check({ ...removeSku, [APPROVALS]: approval([{ graph: 'partner', type: 'FIELD_REMOVED', coordinate: 'Product.sku' }]) });
    expect(changes(report)[0]!.approved).toBeNull();
    expect(report.problems.map((p) => p.code)).toEqual(['APPROVAL_STALE']);
  });

  it('an approval that approves nothing (empty list) or a change the diff does not have fails the check', async () => {
    const empty = await check({ [APPROVALS]: approval([]) });
    expect(empty.report.passed).toBe(false);
    expect(empty.report.problems).toEqual([expect.objectContaining({ code: 'APPROVAL_EMPTY', message: expect.stringContaining('approves nothing') })]);
    const nothing = await check({ [APPROVALS]: approval([{ type: 'FIELD_REMOVED', coordinate: 'Product.name' }]) });
    expect(nothing.report.passed).toBe(false);
    expect(nothing.report.problems).toEqual([expect.objectContaining({ code: 'APPROVAL_STALE', message: expect.stringContaining('no such change') })]);
  });

  it('a malformed approvals file is reported with its position (not JSON) or the offending path (wrong shape), never ignored', async () => {
    const broken = await check({ ...removeSku, [APPROVALS]: '{ "approvals": [\n  { "by": "ana", }\n] }' });
    expect(broken.report.passed).toBe(false);
    expect(broken.report.problems).toEqual([expect.objectContaining({ code: 'APPROVALS_INVALID', message: expect.stringContaining('not valid JSON'), locations: [expect.objectContaining({ file: APPROVALS, line: 2 })] })]);
    const shape = await check({ [APPROVALS]: JSON.stringify({ approvals: [{ by: 'ana', changes: [{ type: 'removed', coordinate: 'Product.sku' }] }] }) });
    expect(shape.report.problems[0]!.code).toBe('APPROVALS_INVALID');
    expect(shape.report.problems[0]!.message).toMatch(/approvals\.0\.reason/);
    expect(shape.report.problems[0]!.message).toMatch(/approvals\.0\.changes\.0\.type/);
  });
});

describe('schema check: composition errors located in the subgraph files', () => {
  it('an SDL syntax error names subgraph, file, line and column, and skips composition instead of passing', async () => {
    const { report, text } = await check({ [REVIEWS]: replaceOnce('  rating: Int! @tag(name: "partner")\n', '  rating: Int! @tag(name: "partner"\n') });
    expect(report.passed).toBe(false);
    expect(report.composition.errors).toEqual([expect.objectContaining({ code: 'SDL_SYNTAX_ERROR', locations: [{ subgraph: 'reviews', file: REVIEWS, line: 20, column: 3 }] })]);
    expect(report.graphs.every((g) => !g.composed)).toBe(true);
    expect(text).toContain(`at ${REVIEWS}:20:3 (reviews)`);
    expect(text).toContain('hint:');
  });

  it('an unknown directive is INVALID_GRAPHQL at its position with a hint to import it', async () => {
    const { report } = await check({ [PRODUCTS]: replaceOnce('  sku: String!\n', '  sku: String! @external2\n') });
    expect(report.composition.errors).toEqual([expect.objectContaining({ code: 'INVALID_GRAPHQL', message: expect.stringContaining('Unknown directive "@external2"'), hint: expect.stringContaining('@link(import:'), locations: [{ subgraph: 'products', file: PRODUCTS, line: 16, column: 16 }] })]);
    expect(report.passed).toBe(false);
  });

  it('a federation version the composer does not know is reported at the subgraph\'s @link', async () => {
    const { report } = await check({ [REVIEWS]: replaceOnce('federation/v2.7', 'federation/v2.99') });
    expect(report.composition.errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_FEDERATION_LINK_VERSION', locations: [{ subgraph: 'reviews', file: REVIEWS, line: 1, column: 15 }] })]);
  });

  it('a directive the linked federation version does not have is reported at the @link with the version it needs', async () => {
    const { report } = await check({ [REVIEWS]: replaceOnce('federation/v2.7", import: ["@key", "@tag"]', 'federation/v2.0", import: ["@key", "@tag", "@interfaceObject"]') });
    expect(report.composition.errors).toEqual([expect.objectContaining({ code: 'INVALID_LINK_DIRECTIVE_USAGE', message: expect.stringContaining('@interfaceObject'), hint: expect.stringContaining('needs v2.3'), locations: [{ subgraph: 'reviews', file: REVIEWS, line: 1, column: 15 }] })]);
    expect(report.passed).toBe(false);
  });

  it('subgraphs on different federation versions compose but are warned about by the federation-version rule', async () => {
    const { report } = await check({ [REVIEWS]: replaceOnce('federation/v2.7', 'federation/v2.3') });
    expect(report.composition.ok).toBe(true);
    expect(report.lint).toContainEqual(expect.objectContaining({ rule: 'federation-version', severity: 'warning', message: '[reviews] links federation v2.3 while the other subgraphs link v2.7' }));
  });

  it('a type defined incompatibly in two subgraphs names both definitions', async () => {
    const { report, text } = await check({ [REVIEWS]: replaceOnce('type Product @key(fields: "id") {\n  id: ID!\n', 'type Product @key(fields: "id") {\n  id: ID!\n  "Clashes."\n  name: Int!\n') });
    const mismatch = report.composition.errors.find((e) => e.code === 'FIELD_TYPE_MISMATCH');
    expect(mismatch?.locations).toEqual([{ subgraph: 'products', file: PRODUCTS, line: 14, column: 3 }, { subgraph: 'reviews', file: REVIEWS, line: 12, column: 3 }]);
    expect(text).toMatch(/FIELD_TYPE_MISMATCH .*Product\.name/);
    expect(report.passed).toBe(false);
  });

  it('a contract that keeps no Query field fails composition with the contract named and a hint to tag one', async () => {
    const { report } = await check({
      [PRODUCTS]: (t) => t.replace('product(id: ID! @tag(name: "partner")): Product @tag(name: "partner")', 'product(id: ID!): Product'),
      [REVIEWS]: (t) => t.replace('review(id: ID! @tag(name: "partner")): Review @tag(name: "partner")', 'review(id: ID!): Review'),
    });
    expect(report.composition.errors[0]).toEqual(expect.objectContaining({ code: 'ONLY_INACCESSIBLE_CHILDREN', message: expect.stringContaining('contract "partner"'), hint: expect.stringContaining('tag one of its fields') }));
    expect(report.graphs.find((g) => g.name === 'main')!.composed).toBe(true);
    expect(report.passed).toBe(false);
  });
});

describe('schema check: lint', () => {
  it('a @deprecated without a reason, a snake_case field and a forbidden getter are errors at their positions', async () => {
    const { report } = await check({
      [PRODUCTS]: (t) => replaceOnce('@deprecated(reason: "Use sku, which is unique per tenant")', '@deprecated')(t).replace('  products(first: Int = 10): [Product!]!\n', '  products(first: Int = 10): [Product!]!\n  "Old style."\n  getProduct(id: ID!): Product\n  "Bad name."\n  best_seller: Product\n'),
    });
    const errors = report.lint.filter((l) => l.severity === 'error').map((l) => [l.rule, l.locations[0]!.line]);
    expect(errors).toEqual([['field-name-camel-case', 11], ['deprecation-reason', 22], ['forbidden-patterns', 9]]);
    expect(report.passed).toBe(false);
    expect(report.failures).toContain('3 lint errors');
  });

  it('severity comes from schema/lint.json: the same SDL passes with those rules set to warning', async () => {
    const { report } = await check({
      [PRODUCTS]: replaceOnce('@deprecated(reason: "Use sku, which is unique per tenant")', '@deprecated'),
      'schema/lint.json': JSON.stringify({ rules: { 'deprecation-reason': 'warning', 'type-description': 'off' } }),
    });
    expect(report.lint.map((l) => [l.rule, l.severity])).toEqual([['deprecation-reason', 'warning']]);
    expect(report.passed).toBe(true);
  });

  it('a missing description is a warning (it does not fail), and an unknown rule in lint.json is a configuration error', async () => {
    const missing = await check({ [PRODUCTS]: replaceOnce('"The display name."\n', '') });
    expect(missing.report.lint).toEqual([expect.objectContaining({ rule: 'field-description', severity: 'warning', message: '[products] field Product.name has no description' })]);
    expect(missing.report.passed).toBe(true);
    const unknown = await check({ 'schema/lint.json': JSON.stringify({ rules: { 'no-such-rule': 'error' } }) });
    expect(unknown.report.problems).toEqual([expect.objectContaining({ code: 'LINT_CONFIG_INVALID', message: expect.stringContaining('rules.no-such-rule: unknown rule') })]);
    expect(unknown.report.passed).toBe(false);
  });
});

describe('schema check: the published history', () => {
  it('a version folder without its record is HISTORY_INVALID, not a check against nothing', async () => {
    const ws = fixtureWorkspace();
    cleanups.push(ws.remove);
    rmSync(join(ws.root, 'schema/history/v0001/version.json'));
    const { report } = await runSchemaCheck(schemaWorkspace(ws.root), noUsage);
    expect(report.problems).toEqual([expect.objectContaining({ code: 'HISTORY_INVALID', message: 'schema/history/v0001 has no version.json: restore it from git' })]);
    expect(report.passed).toBe(false);
  });
});

describe('npm run schema:check as a process', () => {
  const cli = (root: string, json: string) => run(process.execPath, ['--import', 'tsx', 'scripts/schema-check.ts', '--root', root, '--json', json], { env: withoutUsageStore() }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );

  it('exits 1 on an unapproved break with the readable report and the JSON report, and 0 once the approval is committed', async () => {
    const ws = fixtureWorkspace({ [PRODUCTS]: replaceOnce('  "Stock keeping unit."\n  sku: String!\n', '') });
    cleanups.push(ws.remove);
    const json = join(ws.root, 'report.json');
    const failing = await cli(ws.root, json);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/BREAKING\s+FIELD_REMOVED\s+Product\.sku/);
    expect(failing.stdout).toContain('Result: FAIL — 1 unapproved breaking change');
    const report = JSON.parse(readFileSync(json, 'utf8')) as CheckReport;
    expect(report.passed).toBe(false);
    expect(report.graphs[0]!.changes[0]).toEqual(expect.objectContaining({ type: 'FIELD_REMOVED', coordinate: 'Product.sku', classification: 'BREAKING' }));
    ws.write(APPROVALS, JSON.stringify({ approvals: [{ by: 'ana@example.com', reason: 'sku moves to the inventory subgraph', changes: [{ type: 'FIELD_REMOVED', coordinate: 'Product.sku' }] }] }));
    const passing = await cli(ws.root, json);
    expect(passing.stdout).toContain('Result: PASS');
    expect(passing.code).toBe(0);
  });
});
