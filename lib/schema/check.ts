import { relative } from 'node:path';
import { buildSchema } from 'graphql';
import { applyApprovals, loadApprovals, type Approval } from './approvals.js';
import { composeGraphs, type ComposedGraph, type ContractDefinition } from './composition.js';
import { loadContracts } from './contracts-config.js';
import { latestVersion, type PublishedVersion } from './history.js';
import { lintSubgraphs, loadLintConfig, type LintIssue } from './lint.js';
import type { SchemaProblem } from './problem.js';
import { loadRegisteredOperations, registeredUsage } from './registered-operations.js';
import { diffApiSchemas, type Classification, type SchemaChange } from './schema-diff.js';
import { loadSubgraphSources } from './subgraph-sources.js';
import { usageEvidence, type UsageEvidence, type UsageState } from './usage-evidence.js';
import { loadUsagePolicy } from './usage-policy.js';
import type { SchemaWorkspace } from './workspace.js';

export interface CheckedChange extends SchemaChange {
  /** The classification the check acts on: BREAKING downgraded to DANGEROUS on usage evidence. */
  effective: Classification;
  approved: { by: string; reason: string } | null;
  usage: UsageEvidence | null;
}

export interface GraphReport { name: string; composed: boolean; baseline: string | null; changes: CheckedChange[]; note: string | null }

export interface CheckReport {
  baseline: { version: string; publishedAt: string } | null;
  subgraphs: Array<{ name: string; file: string }>;
  composition: { ok: boolean; errors: SchemaProblem[] };
  graphs: GraphReport[];
  usage: { status: UsageState['status']; message: string; operations: number | null; since: string | null; clients: number | null };
  registeredOperations: { count: number; invalidAgainstNewSchema: Array<{ file: string; name: string; message: string }> };
  lint: LintIssue[];
  problems: SchemaProblem[];
  passed: boolean;
  failures: string[];
}

export interface CheckResult {
  report: CheckReport;
  /** The composed graphs (main and contracts) when composition succeeded, for publish. */
  composed: Map<string, ComposedGraph> | null;
  /** The approvals that matched changes, for publish to record. */
  usedApprovals: Approval[];
  baseline: PublishedVersion | null;
}

/** Runs every check over every subgraph at once: composition, contracts, diff, usage, approvals and lint. */
export async function runSchemaCheck(workspace: SchemaWorkspace, loadUsage: (windowDays: number) => Promise<UsageState>): Promise<CheckResult> {
  const root = workspace.root;
  const problems: SchemaProblem[] = [];
  const { sources, problems: sourceProblems } = loadSubgraphSources(root, workspace.subgraphsConfig);
  const contractsConfig = loadContracts(workspace.contractsConfig, root);
  const contracts: ContractDefinition[] = contractsConfig.ok ? contractsConfig.value : [];
  if (!contractsConfig.ok) problems.push(contractsConfig.problem);
  const lintConfig = loadLintConfig(workspace.lintConfig, root);
  if (!lintConfig.ok) problems.push(lintConfig.problem);
  const policy = loadUsagePolicy(workspace.usagePolicy, root);
  if (!policy.ok) problems.push(policy.problem);
  const { approvals, problems: approvalProblems } = loadApprovals(workspace.approvalsFile, root);
  problems.push(...approvalProblems);
  const { operations, problems: operationProblems } = loadRegisteredOperations(workspace.operationsDir, root);
  problems.push(...operationProblems);

  let baseline: PublishedVersion | null = null;
  try {
    baseline = latestVersion(workspace.historyDir);
  } catch (error) {
    problems.push({ code: 'HISTORY_INVALID', message: (error as Error).message, hint: 'the published history is committed: restore the folder from git', locations: [] });
  }

  const syntaxBroken = sourceProblems.length > 0;
  const composition = syntaxBroken ? { main: null, contracts: new Map<string, ComposedGraph | null>(), problems: [] } : composeGraphs(sources, contracts);
  const compositionErrors = [...sourceProblems, ...composition.problems];

  const usage: UsageState = policy.ok ? await loadUsage(policy.value.windowDays) : { status: 'not-configured', message: 'the usage policy is invalid' };
  const baselineMain = baseline?.apiSdl.get('main');
  const baselineSchema = baselineMain ? buildSchema(baselineMain, { assumeValidSDL: true }) : null;
  const registered = baselineSchema ? registeredUsage(baselineSchema, operations) : { byCoordinate: new Map(), invalid: [] };
  const newMain = composition.main ? buildSchema(composition.main.apiSdl, { assumeValidSDL: true }) : null;
  const invalidNow = newMain ? registeredUsage(newMain, operations).invalid : [];

  const graphs: GraphReport[] = [];
  const allChanges: CheckedChange[] = [];
  const graphNames = ['main', ...contracts.map((c) => c.name)];
  for (const name of graphNames) {
    const composed = name === 'main' ? composition.main : composition.contracts.get(name) ?? null;
    const before = baseline?.apiSdl.get(name) ?? null;
    let note: string | null = null;
    let changes: CheckedChange[] = [];
    if (!composed) note = syntaxBroken ? 'not composed: a subgraph does not parse' : 'not composed: see the composition errors';
    else if (!baseline) note = 'no published version yet: nothing to diff against (run npm run schema:publish to record a baseline)';
    else if (!before) note = `not in the last published version ${baseline.version}: its changes are diffed from the next publish on`;
    else {
      const diffed = await diffApiSchemas(name, before, composed.apiSdl);
      changes = diffed.map((change) => {
        const evidence = policy.ok ? usageEvidence(change, registered.byCoordinate, operations.length, usage, policy.value) : null;
        return { ...change, effective: evidence?.downgraded ? 'DANGEROUS' : change.classification, approved: null, usage: evidence };
      });
    }
    graphs.push({ name, composed: Boolean(composed), baseline: before ? baseline!.version : null, changes, note });
    allChanges.push(...changes);
  }

  const approvalsFile = relative(root, workspace.approvalsFile);
  const outcome = applyApprovals(approvals, allChanges, approvalsFile);
  // Approvals are judged against a diff only when there is one; otherwise each would look stale.
  const diffed = graphs.every((g) => g.composed) && baseline !== null;
  if (diffed) problems.push(...outcome.problems);
  else problems.push(...outcome.problems.filter((p) => p.code === 'APPROVAL_EMPTY'));
  for (const change of allChanges) {
    const approval = outcome.byChange.get(change);
    if (approval) change.approved = { by: approval.by, reason: approval.reason };
  }

  const lint = lintConfig.ok ? lintSubgraphs(sources, lintConfig.value) : [];

  const failures: string[] = [];
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  if (compositionErrors.length) failures.push(count(compositionErrors.length, 'composition error'));
  const unapproved = allChanges.filter((c) => c.effective === 'BREAKING' && !c.approved);
  if (unapproved.length) failures.push(count(unapproved.length, 'unapproved breaking change'));
  const lintErrors = lint.filter((l) => l.severity === 'error');
  if (lintErrors.length) failures.push(count(lintErrors.length, 'lint error'));
  if (problems.length) failures.push(count(problems.length, 'configuration or approval problem'));

  const summary = usage.status === 'ok' ? usage.summary : null;
  return {
    report: {
      baseline: baseline ? { version: baseline.version, publishedAt: baseline.publishedAt } : null,
      subgraphs: sources.map((s) => ({ name: s.name, file: s.file })),
      composition: { ok: compositionErrors.length === 0, errors: compositionErrors },
      graphs,
      usage: {
        status: usage.status,
        message: usage.status === 'ok' ? `${usage.summary.operations} operations recorded since ${usage.summary.since} by ${usage.summary.clients.length} clients` : usage.message,
        operations: summary?.operations ?? null,
        since: summary?.since ?? null,
        clients: summary?.clients.length ?? null,
      },
      registeredOperations: { count: operations.length, invalidAgainstNewSchema: invalidNow.map((i) => ({ file: i.operation.file, name: i.operation.name, message: i.message })) },
      lint,
      problems,
      passed: failures.length === 0,
      failures,
    },
    composed: composition.main && graphNames.every((n) => n === 'main' || composition.contracts.get(n)) ? new Map(graphNames.map((n) => [n, n === 'main' ? composition.main! : composition.contracts.get(n)!])) : null,
    usedApprovals: [...new Set(outcome.byChange.values())],
    baseline,
  };
}
