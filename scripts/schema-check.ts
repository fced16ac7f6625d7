import { writeFileSync } from 'node:fs';
import { runSchemaCheck } from '../lib/schema/check.js';
import { renderCheckReport } from '../lib/schema/check-report.js';
import { schemaCliArgs } from '../lib/schema/cli-args.js';
import { loadUsageEnv, loadUsageState } from '../lib/schema/usage-source.js';
import { schemaWorkspace } from '../lib/schema/workspace.js';

const args = schemaCliArgs();
if (args.help) {
  process.stdout.write('npm run schema:check [-- --json report.json] [--root DIR]\n  composes every subgraph and contract, diffs against the last published version, applies usage evidence, approvals and lint; exits 1 on any failure\n');
  process.exit(0);
}
const env = loadUsageEnv();
const { report } = await runSchemaCheck(schemaWorkspace(args.root), (days) => loadUsageState(env.MONGODB_URI, env.DB_PREFIX, days));
process.stdout.write(renderCheckReport(report, args.verbose));
if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
process.exit(report.passed ? 0 : 1);
