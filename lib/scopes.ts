import type { OperationTypeNode } from 'graphql';
import { ForbiddenError } from './errors.js';

export type Scope = 'read' | 'write';

/** The scope an operation needs: mutations write, everything else reads tenant data. */
export function scopeFor(operation: OperationTypeNode | 'query' | 'mutation' | 'subscription'): Scope {
  return operation === 'mutation' ? 'write' : 'read';
}

/** Throws FORBIDDEN (HTTP 403) unless the caller holds `scope`; subgraphs call it from the signed context, not from anything the client sent. */
export function requireScope(context: { caller: { scopes: readonly string[] } }, scope: Scope): void {
  if (!context.caller.scopes.includes(scope)) {
    throw new ForbiddenError(scope === 'write' ? 'This API key may not write: the write scope is required' : 'This API key may not read: the read scope is required');
  }
}
