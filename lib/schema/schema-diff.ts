import { createRequire } from 'node:module';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';

// The schemas must come from the graphql build Inspector itself loads (Node's CommonJS one): a bundler
// that resolves `graphql` to its ESM build would hand Inspector types "from another realm".
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

export type Classification = 'BREAKING' | 'DANGEROUS' | 'SAFE';

/** One change between two API schemas, with the identity approvals name it by. */
export interface SchemaChange {
  /** The graph it belongs to: `main` or a contract's name. */
  graph: string;
  type: string;
  /** The schema coordinate it touches (`Type`, `Type.field`, `Type.field.argument`, `Enum.VALUE`, `@directive`). */
  coordinate: string;
  classification: Classification;
  message: string;
  reason?: string;
}

const LEVELS: Record<CriticalityLevel, Classification> = {
  [CriticalityLevel.Breaking]: 'BREAKING',
  [CriticalityLevel.Dangerous]: 'DANGEROUS',
  [CriticalityLevel.NonBreaking]: 'SAFE',
};

const ORDER: Record<Classification, number> = { BREAKING: 0, DANGEROUS: 1, SAFE: 2 };

/** Classifies every change from `before` to `after` (API schema SDL) with GraphQL Inspector's rules. */
export async function diffApiSchemas(graph: string, before: string, after: string): Promise<SchemaChange[]> {
  const changes: Change[] = await diff(buildSchema(before, { assumeValidSDL: true }), buildSchema(after, { assumeValidSDL: true }));
  return changes
    .map((change) => ({
      graph,
      type: change.type,
      coordinate: change.path ?? '',
      classification: LEVELS[change.criticality.level],
      message: change.message,
      ...(change.criticality.reason ? { reason: change.criticality.reason } : {}),
    }))
    .sort((a, b) => ORDER[a.classification] - ORDER[b.classification] || a.coordinate.localeCompare(b.coordinate) || a.type.localeCompare(b.type));
}

/** The identity an approval names a change by. */
export function changeId(change: Pick<SchemaChange, 'graph' | 'type' | 'coordinate'>): string {
  return `${change.graph}:${change.type}:${change.coordinate}`;
}
