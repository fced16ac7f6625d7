import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { operationCoordinates } from './operation-coordinates.js';
import type { SchemaProblem } from './problem.js';

/** A client operation committed under schema/operations/. */
export interface RegisteredOperation { file: string; name: string; document: DocumentNode }

/** Reads every `.graphql` file of the operations folder; a file that does not parse is a problem. */
export function loadRegisteredOperations(dir: string, root: string): { operations: RegisteredOperation[]; problems: SchemaProblem[] } {
  if (!existsSync(dir)) return { operations: [], problems: [] };
  const operations: RegisteredOperation[] = [];
  const problems: SchemaProblem[] = [];
  for (const entry of readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort()) {
    const file = relative(root, join(dir, entry));
    try {
      const document = parse(readFileSync(join(dir, entry), 'utf8'));
      for (const definition of document.definitions) {
        if (definition.kind === 'OperationDefinition') operations.push({ file, name: definition.name?.value ?? '(anonymous)', document: { ...document, definitions: document.definitions.filter((d) => d === definition || d.kind === 'FragmentDefinition') } });
      }
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const at = error.locations?.[0] ?? { line: 1, column: 1 };
      problems.push({ code: 'OPERATION_SYNTAX_ERROR', message: `${file}: ${error.message}`, hint: 'registered client operations must parse: fix or remove the file', locations: [{ subgraph: '-', file, line: at.line, column: at.column }] });
    }
  }
  return { operations, problems };
}

/** The coordinates each registered operation touches in `schema`, and those that no longer validate against it. */
export function registeredUsage(schema: GraphQLSchema, operations: RegisteredOperation[]): { byCoordinate: Map<string, RegisteredOperation[]>; invalid: Array<{ operation: RegisteredOperation; message: string }> } {
  const byCoordinate = new Map<string, RegisteredOperation[]>();
  const invalid: Array<{ operation: RegisteredOperation; message: string }> = [];
  for (const operation of operations) {
    const errors = validate(schema, operation.document);
    if (errors.length > 0) invalid.push({ operation, message: errors[0]!.message });
    for (const coordinate of operationCoordinates(schema, operation.document)) byCoordinate.set(coordinate, [...(byCoordinate.get(coordinate) ?? []), operation]);
  }
  return { byCoordinate, invalid };
}
