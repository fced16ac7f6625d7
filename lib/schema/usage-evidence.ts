import type { RegisteredOperation } from './registered-operations.js';
import type { SchemaChange } from './schema-diff.js';
import { describeThreshold, withinThreshold, type UsagePolicy } from './usage-policy.js';
import { usageOf, type UsageSummary } from './usage-store.js';

/** What the check knows about recorded usage: where it came from, or why there is none. */
export type UsageState =
  | { status: 'ok'; summary: UsageSummary; windowDays: number }
  | { status: 'not-configured' | 'unreachable' | 'empty'; message: string };

export interface UsageEvidence {
  coordinate: string;
  downgraded: boolean;
  lines: string[];
}

/** Breaking change types whose effect on clients shows in the coordinates operations select. */
const OBSERVABLE = new Set(['FIELD_REMOVED', 'FIELD_TYPE_CHANGED', 'FIELD_ARGUMENT_REMOVED', 'FIELD_ARGUMENT_TYPE_CHANGED', 'FIELD_ARGUMENT_ADDED', 'TYPE_REMOVED', 'OBJECT_TYPE_INTERFACE_REMOVED']);

/** The coordinate whose use decides whether a change breaks anyone (a new required argument breaks users of its field). */
function usedCoordinate(change: SchemaChange): string {
  if (change.type === 'FIELD_ARGUMENT_ADDED') return change.coordinate.split('.').slice(0, 2).join('.');
  return change.coordinate;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * Decides whether a breaking change can be downgraded: no registered client operation touches its
 * coordinate, and the usage window holds enough recorded operations with use at most the threshold.
 * Missing or thin usage data is said, and never counts as "unused".
 */
export function usageEvidence(change: SchemaChange, registered: Map<string, RegisteredOperation[]>, registeredCount: number, usage: UsageState, policy: UsagePolicy): UsageEvidence | null {
  if (change.classification !== 'BREAKING') return null;
  const coordinate = usedCoordinate(change);
  if (!OBSERVABLE.has(change.type)) return { coordinate, downgraded: false, lines: [`${change.type} is not observable in recorded operations (input values and enum values sent as variables are not recorded): stays BREAKING`] };
  const lines: string[] = [];
  const isType = !coordinate.includes('.');
  const users = isType ? [...registered].filter(([c]) => c.startsWith(`${coordinate}.`)).flatMap(([, ops]) => ops) : registered.get(coordinate) ?? [];
  const unique = [...new Map(users.map((op) => [`${op.file}#${op.name}`, op])).values()];
  if (unique.length > 0) lines.push(`registered operations using ${coordinate}: ${unique.map((op) => `${op.name} (${op.file})`).join(', ')}`);
  else lines.push(`registered operations: none of ${plural(registeredCount, 'operation')} in schema/operations uses ${coordinate}`);
  let unused = unique.length === 0;
  if (usage.status !== 'ok') {
    lines.push(`usage data: ${usage.message}: not downgraded`);
    unused = false;
  } else {
    const { summary, windowDays } = usage;
    const used = usageOf(summary, coordinate);
    const share = summary.operations > 0 ? ` (${((used.total / summary.operations) * 100).toFixed(2)}%)` : '';
    const clients = used.clients.slice(0, 5).map((c) => `${c.clientName} ${c.clientVersion}: ${c.count}`).join(', ');
    lines.push(`usage window (last ${windowDays} days, since ${summary.since}): ${used.total.toLocaleString('en-US')} of ${plural(summary.operations, 'operation')}${share} touched ${coordinate}${clients ? ` — ${clients}` : ''}; threshold ${describeThreshold(policy)}`);
    if (summary.operations < policy.minimumOperations) {
      lines.push(`only ${plural(summary.operations, 'operation')} recorded in the window, below minimumOperations ${policy.minimumOperations}: too little evidence, not downgraded`);
      unused = false;
    } else if (!withinThreshold(policy, used.total, summary.operations)) unused = false;
  }
  if (unused) lines.push('→ downgraded to DANGEROUS: no registered operation uses it and recorded use is within the threshold');
  return { coordinate, downgraded: unused, lines };
}
