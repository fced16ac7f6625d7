import { Kind, type OperationDefinitionNode, type OperationTypeNode } from 'graphql';
import { ForbiddenError } from './errors.js';

export type Scope = 'read' | 'write' | 'moderate';

/** The scope an operation needs: mutations write, everything else reads tenant data. */
export function scopeFor(operation: OperationTypeNode | 'query' | 'mutation' | 'subscription'): Scope {
  return operation === 'mutation' ? 'write' : 'read';
}

/** Root mutation fields with a scope of their own instead of write: moderators need not be able to submit or delete. */
const MUTATION_FIELD_SCOPES: Record<string, Scope> = { moderateReviews: 'moderate', setModerationPolicy: 'moderate' };

/**
 * The scope an operation needs: `scopeFor` its type, except that a mutation of fields with a scope
 * of their own needs that scope (a mutation mixing them with others needs write, and each such
 * field's resolver checks its own scope too).
 */
export function scopeForOperationNode(operation: OperationDefinitionNode): Scope {
  if (operation.operation === 'mutation') {
    const scopes = new Set(operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? MUTATION_FIELD_SCOPES[s.name.value] ?? 'write' : 'write')));
    if (scopes.size === 1) return [...scopes][0]!;
  }
  return scopeFor(operation.operation);
}

/** Throws FORBIDDEN (HTTP 403) unless the caller holds `scope`; subgraphs call it from the signed context, not from anything the client sent. */
export function requireScope(context: { caller: { scopes: readonly string[] } }, scope: Scope): void {
  if (!context.caller.scopes.includes(scope)) {
    throw new ForbiddenError(scope === 'moderate' ? 'This API key may not moderate: the moderate scope is required' : scope === 'write' ? 'This API key may not write: the write scope is required' : 'This API key may not read: the read scope is required');
  }
}
