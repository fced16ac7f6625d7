import { relative } from 'node:path';
import { renderCheckReport } from '../lib/schema/check-report.js';
import { schemaCliArgs } from '../lib/schema/cli-args.js';
import { publishSchema } from '../lib/schema/publish.js';
import { loadUsageEnv, loadUsageState } from '../lib/schema/usage-source.js';
import { schemaWorkspace } from '../lib/schema/workspace.js';

const args = schemaCliArgs();
if (args.help) {
  process.stdout.write('npm run schema:publish [-- --root DIR]\n  runs the check and, when it passes, records a new version in schema/history with a changelog entry, the served supergraph files and docs/reference\n');
  process.exit(0);
}
const env = loadUsageEnv();
const outcome = await publishSchema(schemaWorkspace(args.root), (days) => loadUsageState(env.MONGODB_URI, env.DB_PREFIX, days));
if (outcome.status === 'refused') {
  process.stdout.write(renderCheckReport(outcome.report, args.verbose));
  process.stdout.write('\nNot published: the check fails.\n');
  process.exit(1);
}
if (outcome.status === 'unchanged') {
  process.stdout.write(`Nothing to publish: the API schemas are those of ${outcome.version}.\n`);
  process.exit(0);
}
process.stdout.write(`Published ${outcome.version}:\n${outcome.files.map((f) => `  ${relative(args.root, f)}`).join('\n')}\n`);
