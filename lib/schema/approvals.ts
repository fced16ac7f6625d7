import { z } from 'zod';
import { readJsonConfig } from './json-config.js';
import type { SchemaProblem } from './problem.js';
import type { SchemaChange } from './schema-diff.js';

const approvedChange = z.object({
  /** `main` (default) or a contract's name. */
  graph: z.string().min(1).default('main'),
  type: z.string().regex(/^[A-Z][A-Z_]+$/, 'a change type as the report prints it, e.g. FIELD_REMOVED'),
  coordinate: z.string().min(1, 'the schema coordinate as the report prints it, e.g. Product.sku'),
}).strict();

const approval = z.object({
  by: z.string().trim().min(1, 'say who approves'),
  reason: z.string().trim().min(10, 'say why, in at least 10 characters'),
  changes: z.array(approvedChange),
}).strict();

const approvalsFile = z.object({ approvals: z.array(approval) }).strict();

export type Approval = z.infer<typeof approval>;
export type ApprovedChange = z.infer<typeof approvedChange>;

export interface ApprovalOutcome {
  /** Approvals by change identity, for the changes they cover. */
  byChange: Map<SchemaChange, Approval>;
  problems: SchemaProblem[];
  approvals: Approval[];
}

const sameChange = (entry: ApprovedChange, change: SchemaChange) => entry.graph === change.graph && entry.type === change.type && entry.coordinate === change.coordinate;

/** Reads schema/approvals.json; a missing file is no approvals, a malformed one is a problem. */
export function loadApprovals(file: string, root: string): { approvals: Approval[]; problems: SchemaProblem[] } {
  const result = readJsonConfig(file, root, approvalsFile, 'APPROVALS_INVALID', 'approvals.json is {"approvals": [{"by", "reason", "changes": [{"graph"?, "type", "coordinate"}]}]}: copy the entries the check prints', { approvals: [] });
  return result.ok ? { approvals: result.value.approvals, problems: [] } : { approvals: [], problems: [result.problem] };
}

/**
 * Matches approvals to the breaking and dangerous changes they name: graph, change type and coordinate
 * exactly. An approval that names no change, or a change the diff does not have, is reported (a stale
 * approval must not linger and silently approve a later, different change at the same place).
 */
export function applyApprovals(approvals: Approval[], changes: SchemaChange[], file: string): ApprovalOutcome {
  const byChange = new Map<SchemaChange, Approval>();
  const problems: SchemaProblem[] = [];
  const location = [{ subgraph: '-', file, line: 1, column: 1 }];
  approvals.forEach((entry, index) => {
    if (entry.changes.length === 0) {
      problems.push({ code: 'APPROVAL_EMPTY', message: `approval #${index + 1} by ${entry.by} approves nothing: its "changes" list is empty`, hint: 'list the changes it approves (graph, type, coordinate as the report prints them) or delete the entry', locations: location });
      return;
    }
    for (const named of entry.changes) {
      const matches = changes.filter((change) => change.classification !== 'SAFE' && sameChange(named, change));
      if (matches.length === 0) {
        const near = changes.find((c) => c.coordinate === named.coordinate && c.graph === named.graph);
        const why = near ? `the diff has ${near.type} (${near.classification}) there, not ${named.type}` : 'the diff against the last published version has no such change';
        problems.push({ code: 'APPROVAL_STALE', message: `approval #${index + 1} by ${entry.by} names ${named.graph}:${named.type}:${named.coordinate}, which is not a breaking or dangerous change of this schema: ${why}`, hint: 'approvals hold only for exactly the changes they name: fix the entry to match the report, or delete it once published', locations: location });
      }
      for (const match of matches) byChange.set(match, entry);
    }
  });
  return { byChange, problems, approvals };
}
