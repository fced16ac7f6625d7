import { writeFileSync } from 'node:fs';
import { schemaCliArgs } from '../lib/schema/cli-args.js';
import { composeGraphs } from '../lib/schema/composition.js';
import { loadSubgraphSources } from '../lib/schema/subgraph-sources.js';
import { deprecatedCoordinates, renderUsageReport } from '../lib/schema/usage-report.js';
import { loadUsagePolicy } from '../lib/schema/usage-policy.js';
import { loadUsageEnv, loadUsageState } from '../lib/schema/usage-source.js';
import { usageOf } from '../lib/schema/usage-store.js';
import { schemaWorkspace } from '../lib/schema/workspace.js';

const args = schemaCliArgs();
if (args.help) {
  process.stdout.write('npm run schema:usage [-- Type.field ...] [--json FILE]\n  who used each coordinate in the usage window (schema/usage-policy.json windowDays), and the deprecated fields still in use\n');
  process.exit(0);
}
const workspace = schemaWorkspace(args.root);
const env = loadUsageEnv();
const policy = loadUsagePolicy(workspace.usagePolicy, args.root);
if (!policy.ok) {
  process.stderr.write(`${policy.problem.message}\n  hint: ${policy.problem.hint}\n`);
  process.exit(1);
}
const state = await loadUsageState(env.MONGODB_URI, env.DB_PREFIX, policy.value.windowDays);
if (state.status !== 'ok') {
  process.stderr.write(`No usage to show: ${state.message}\n`);
  process.exit(state.status === 'empty' ? 0 : 1);
}
const { sources } = loadSubgraphSources(args.root, workspace.subgraphsConfig);
const composed = composeGraphs(sources, []).main;
const deprecated = composed ? deprecatedCoordinates(composed.apiSdl) : [];
process.stdout.write(renderUsageReport(state.summary, policy.value.windowDays, args.positionals, deprecated));
if (args.json) {
  const json = {
    since: state.summary.since,
    operations: state.summary.operations,
    coordinates: Object.fromEntries(args.positionals.map((c) => [c, usageOf(state.summary, c)])),
    deprecatedInUse: deprecated.map((d) => ({ ...d, ...usageOf(state.summary, d.coordinate) })).filter((d) => d.total > 0),
  };
  writeFileSync(args.json, `${JSON.stringify(json, null, 2)}\n`);
}
