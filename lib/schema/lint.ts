import { z } from 'zod';
import { readJsonConfig } from './json-config.js';
import { LINT_RULES, type LintRuleOptions } from './lint-rules.js';
import type { SchemaProblem } from './problem.js';
import type { SubgraphSource } from './subgraph-sources.js';

export type Severity = 'error' | 'warning' | 'off';

export interface LintIssue extends SchemaProblem { severity: Exclude<Severity, 'off'>; rule: string }

const severity = z.enum(['error', 'warning', 'off']);
const options = z.object({ patterns: z.array(z.object({ pattern: z.string().min(1).refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'not a valid regular expression'), message: z.string().min(1) }).strict()).optional() }).strict();
const setting = z.union([severity, z.tuple([severity, options])]);
const lintConfig = z.object({ rules: z.record(z.string(), setting) }).strict().superRefine((value, ctx) => {
  for (const name of Object.keys(value.rules)) {
    if (!(name in LINT_RULES)) ctx.addIssue({ code: 'custom', path: ['rules', name], message: `unknown rule (known: ${Object.keys(LINT_RULES).join(', ')})` });
  }
});

export type LintConfig = z.infer<typeof lintConfig>;

/** Reads schema/lint.json: each rule's severity, and options where a rule takes them; rules not named are off. */
export function loadLintConfig(file: string, root: string) {
  return readJsonConfig(file, root, lintConfig, 'LINT_CONFIG_INVALID', 'lint.json is {"rules": {"rule-name": "error" | "warning" | "off" | ["error", {options}]}}', { rules: {} });
}

/** Runs the configured rules over the subgraph SDL files. */
export function lintSubgraphs(sources: SubgraphSource[], config: LintConfig): LintIssue[] {
  const issues: LintIssue[] = [];
  for (const [rule, value] of Object.entries(config.rules)) {
    const [level, ruleOptions] = (Array.isArray(value) ? value : [value, {}]) as [Severity, LintRuleOptions];
    if (level === 'off') continue;
    for (const finding of LINT_RULES[rule]!.run(sources, ruleOptions)) {
      issues.push({
        rule,
        severity: level,
        code: `LINT_${rule.toUpperCase().replaceAll('-', '_')}`,
        message: `[${finding.subgraph}] ${finding.message}`,
        hint: LINT_RULES[rule]!.description,
        locations: [{ subgraph: finding.subgraph, file: finding.file, line: finding.loc?.startToken.line ?? 1, column: finding.loc?.startToken.column ?? 1 }],
      });
    }
  }
  return issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
