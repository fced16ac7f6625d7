import type { CheckReport, CheckedChange } from './check.js';
import type { SchemaProblem } from './problem.js';

const WARNINGS_SHOWN = 3;
const SAFE_SHOWN = 10;
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

const at = (problem: SchemaProblem) => problem.locations.map((l) => `${l.file}:${l.line}:${l.column}${l.subgraph !== '-' ? ` (${l.subgraph})` : ''}`).join(', ');

function problemLines(problem: SchemaProblem, marker: string): string[] {
  const lines = [`  ${marker} ${problem.code}  ${problem.message}`];
  const where = at(problem);
  if (where) lines.push(`      at ${where}`);
  lines.push(`      hint: ${problem.hint}`);
  return lines;
}

/** The JSON an approval entry for these changes takes, ready to paste into schema/approvals.json. */
export function approvalTemplate(changes: CheckedChange[]): string {
  const entry = { by: '<who approves>', reason: '<why clients can take this break>', changes: changes.map((c) => ({ graph: c.graph, type: c.type, coordinate: c.coordinate })) };
  return JSON.stringify(entry, null, 2);
}

function changeLine(change: CheckedChange): string[] {
  const label = change.effective !== change.classification ? `${change.classification}→${change.effective}` : change.classification;
  const lines = [`  ${label.padEnd(9)} ${change.type}  ${change.coordinate}  ${oneLine(change.message)}`];
  if (change.approved) lines.push(`      approved by ${change.approved.by}: ${change.approved.reason}`);
  for (const line of change.usage?.lines ?? []) lines.push(`      ${line}`);
  return lines;
}

/** The readable report: what was checked, each finding with its place and hint, and the verdict. */
export function renderCheckReport(report: CheckReport, verbose = false): string {
  const out: string[] = [];
  out.push(`schema check: ${report.subgraphs.length} subgraphs (${report.subgraphs.map((s) => s.name).join(', ')}), against ${report.baseline ? `${report.baseline.version} published ${report.baseline.publishedAt}` : 'no published version'}`);
  out.push('');
  out.push(report.composition.ok ? 'Composition: ok' : `Composition: ${report.composition.errors.length} error(s)`);
  for (const error of report.composition.errors) out.push(...problemLines(error, '✖'));

  for (const graph of report.graphs) {
    out.push('');
    const title = graph.name === 'main' ? 'Changes (main graph)' : `Changes (contract "${graph.name}")`;
    if (graph.note) {
      out.push(`${title}: ${graph.note}`);
      continue;
    }
    const by = (c: string) => graph.changes.filter((x) => x.effective === c).length;
    const approved = graph.changes.filter((x) => x.effective === 'BREAKING' && x.approved).length;
    out.push(`${title} against ${graph.baseline}: ${by('BREAKING')} breaking${approved ? ` (${approved} approved)` : ''}, ${by('DANGEROUS')} dangerous, ${by('SAFE')} safe`);
    const safe = graph.changes.filter((c) => c.effective === 'SAFE');
    for (const change of graph.changes.filter((c) => c.effective !== 'SAFE')) out.push(...changeLine(change));
    const shown = verbose ? safe : safe.slice(0, SAFE_SHOWN);
    for (const change of shown) out.push(...changeLine(change));
    if (shown.length < safe.length) out.push(`  … and ${safe.length - shown.length} more safe changes (--verbose or --json lists them all)`);
  }

  out.push('');
  out.push(`Usage data: ${report.usage.status} — ${report.usage.message}`);
  out.push(`Registered operations: ${report.registeredOperations.count}`);
  for (const op of report.registeredOperations.invalidAgainstNewSchema) out.push(`  ! ${op.name} (${op.file}) no longer validates: ${op.message}`);

  const errors = report.lint.filter((l) => l.severity === 'error');
  const warnings = report.lint.filter((l) => l.severity === 'warning');
  out.push('');
  out.push(`Lint: ${errors.length} error(s), ${warnings.length} warning(s)`);
  for (const issue of errors) out.push(`  ✖ error   ${issue.rule}  ${issue.message}  ${at(issue)}`);
  // Warnings do not fail the check; beyond the first few per rule they are counted (all are in --json).
  const byRule = new Map<string, typeof warnings>();
  for (const issue of warnings) byRule.set(issue.rule, [...(byRule.get(issue.rule) ?? []), issue]);
  for (const [rule, issues] of byRule) {
    const shown = verbose ? issues : issues.slice(0, WARNINGS_SHOWN);
    for (const issue of shown) out.push(`  ⚠ warning ${rule}  ${issue.message}  ${at(issue)}`);
    if (shown.length < issues.length) out.push(`    … and ${issues.length - shown.length} more ${rule} warnings (--verbose or --json lists them all)`);
  }

  if (report.problems.length) {
    out.push('');
    out.push(`Configuration and approvals: ${report.problems.length} problem(s)`);
    for (const problem of report.problems) out.push(...problemLines(problem, '✖'));
  }

  const unapproved = report.graphs.flatMap((g) => g.changes).filter((c) => c.effective === 'BREAKING' && !c.approved);
  if (unapproved.length) {
    out.push('');
    out.push('To approve these breaking changes, commit this entry in schema/approvals.json with the change:');
    out.push(approvalTemplate(unapproved).split('\n').map((l) => `  ${l}`).join('\n'));
  }
  out.push('');
  out.push(report.passed ? 'Result: PASS' : `Result: FAIL — ${report.failures.join(', ')}`);
  return `${out.join('\n')}\n`;
}
