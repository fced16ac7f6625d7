import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runSchemaCheck } from '../../lib/schema/check.js';
import type { UsageState } from '../../lib/schema/usage-evidence.js';
import { schemaWorkspace } from '../../lib/schema/workspace.js';
import { fixtureWorkspace, replaceOnce } from '../support/schema-workspace.js';

const run = promisify(execFile);
const env = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MONGODB_URI'));
const publish = (root: string) => run(process.execPath, ['--import', 'tsx', 'scripts/schema-publish.ts', '--root', root], { env: env() }).then(
  (r) => ({ code: 0, stdout: r.stdout }),
  (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
);
const noUsage = async (): Promise<UsageState> => ({ status: 'not-configured', message: 'not set' });
const cleanups: Array<() => void> = [];
afterEach(() => { while (cleanups.length) cleanups.pop()!(); });

describe('npm run schema:publish', () => {
  it('records an approved break as the next version: history, changelog entry with the approval, served supergraphs, reference docs; approvals.json starts empty again and the next check diffs from it', async () => {
    const ws = fixtureWorkspace({
      'subgraphs/products.graphql': (t) => replaceOnce('  "Stock keeping unit."\n  sku: String!\n', '')(replaceOnce('  "The display name."\n', '  "The display name, as printed on the box."\n')(t)),
      'schema/approvals.json': JSON.stringify({ approvals: [{ by: 'ana@example.com', reason: 'sku moves to the inventory subgraph', changes: [{ type: 'FIELD_REMOVED', coordinate: 'Product.sku' }] }] }),
      // The registered operation selects sku: a committed client change drops it with the break.
      'schema/operations/storefront.graphql': 'query ProductPage($id: ID!) { product(id: $id) { name } }\n',
    });
    cleanups.push(ws.remove);
    const result = await publish(ws.root);
    expect(result.stdout).toContain('Published v0002');
    expect(result.code).toBe(0);
    const record = JSON.parse(ws.read('schema/history/v0002/version.json'));
    expect(record.graphs).toEqual(['main', 'partner']);
    expect(record.changes).toContainEqual(expect.objectContaining({ graph: 'main', type: 'FIELD_REMOVED', coordinate: 'Product.sku', classification: 'BREAKING' }));
    expect(record.approvals).toEqual([expect.objectContaining({ by: 'ana@example.com' })]);
    const changelog = ws.read('schema/CHANGELOG.md');
    expect(changelog).toMatch(/## v0002 — [\d-]+T[\d:.]+Z[\s\S]*\*\*BREAKING\*\*\n\n- `Product\.sku` FIELD_REMOVED[\s\S]*\*\*Approved breaks\*\*\n\n- ana@example\.com: sku moves to the inventory subgraph \(main:FIELD_REMOVED:Product\.sku\)/);
    expect(changelog.indexOf('## v0002')).toBeLessThan(changelog.indexOf('## v0001') === -1 ? Infinity : changelog.indexOf('## v0001'));
    expect(ws.read('schema/supergraph.graphql')).not.toMatch(/\bsku:/);
    expect(ws.read('schema/contracts/partner.graphql')).toContain('# Contract "partner"');
    expect(ws.read('docs/reference/main/types.md')).toContain('- **`name`**: `String!` — The display name, as printed on the box.');
    expect(existsSync(join(ws.root, 'docs/reference/partner/README.md'))).toBe(true);
    expect(JSON.parse(ws.read('schema/approvals.json'))).toEqual({ approvals: [] });
    const after = await runSchemaCheck(schemaWorkspace(ws.root), noUsage);
    expect(after.report.baseline?.version).toBe('v0002');
    expect(after.report.passed).toBe(true);
    expect(after.report.graphs.flatMap((g) => g.changes)).toEqual([]);
    expect((await publish(ws.root)).stdout).toContain('Nothing to publish: the API schemas are those of v0002');
  });

  it('refuses to publish while the check fails, and writes nothing', async () => {
    const ws = fixtureWorkspace({ 'subgraphs/products.graphql': replaceOnce('  "Stock keeping unit."\n  sku: String!\n', '') });
    cleanups.push(ws.remove);
    const approvalsBefore = ws.read('schema/approvals.json');
    const result = await publish(ws.root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Not published: the check fails.');
    expect(existsSync(join(ws.root, 'schema/history/v0002'))).toBe(false);
    expect(existsSync(join(ws.root, 'schema/CHANGELOG.md'))).toBe(false);
    expect(readFileSync(join(ws.root, 'schema/approvals.json'), 'utf8')).toBe(approvalsBefore);
  });
});
