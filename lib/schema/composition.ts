import { composeSchemaContract, composeServices, type CompositionResult } from '@theguild/federation-composition';
import { Kind, type DefinitionNode, type DocumentNode, type GraphQLError, type Location as AstLocation } from 'graphql';
import { compositionHint } from './composition-hints.js';
import type { SchemaProblem, SourceLocation } from './problem.js';
import type { SubgraphSource } from './subgraph-sources.js';

/** A composed graph: the supergraph the gateway runs and the API schema clients see. */
export interface ComposedGraph {
  supergraphSdl: string;
  apiSdl: string;
}

export interface ContractDefinition { name: string; include: string[]; exclude: string[] }

const SUBGRAPH_IN_BRACKETS = /^\[([^\]]+)\]\s*/;
const QUOTED = /"([^"]+)"/g;

function lineColumn(loc: AstLocation | undefined): { line: number; column: number } | null {
  if (!loc) return null;
  return { line: loc.startToken.line, column: loc.startToken.column };
}

/** Where a type (or `Type.field`) is defined or extended in a subgraph's document. */
function findCoordinate(document: DocumentNode, coordinate: string): AstLocation | undefined {
  const [typeName, fieldName] = coordinate.replace(/^@/, '').split('.');
  for (const definition of document.definitions as DefinitionNode[]) {
    if (!('name' in definition) || definition.name?.value !== typeName) continue;
    if (!fieldName) return definition.name?.loc ?? definition.loc;
    type Member = { name: { value: string; loc?: AstLocation }; loc?: AstLocation };
    const fields = 'fields' in definition ? (definition.fields as readonly Member[] | undefined) : undefined;
    const values = 'values' in definition ? (definition.values as readonly Member[] | undefined) : undefined;
    const member = [...(fields ?? []), ...(values ?? [])].find((f) => f.name.value === fieldName);
    if (member) return member.name.loc ?? member.loc;
  }
  return undefined;
}

/** The `@link` of the federation spec in a subgraph, where version problems are reported. */
function findFederationLink(document: DocumentNode): AstLocation | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_EXTENSION && definition.kind !== Kind.SCHEMA_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value === 'link' && /federation/.test(JSON.stringify(directive.arguments?.map((a) => a.value)))) return directive.loc;
    }
  }
  return undefined;
}

/**
 * Locates a composer error in the subgraph files. Subgraph-level errors carry their subgraph (and
 * often a position); supergraph-level ones name the subgraphs and the coordinates in their message,
 * which are looked up in each named subgraph's document.
 */
export function locateError(error: GraphQLError, sources: SubgraphSource[]): { subgraphs: string[]; locations: SourceLocation[]; message: string } {
  const extensions = error.extensions as { code?: string; subgraphName?: string };
  const bracketed = SUBGRAPH_IN_BRACKETS.exec(error.message)?.[1];
  const message = error.message.replace(SUBGRAPH_IN_BRACKETS, '');
  const quoted = [...message.matchAll(QUOTED)].map((m) => m[1]!);
  const known = new Set(sources.map((s) => s.name));
  const named = extensions.subgraphName ?? bracketed;
  const subgraphs = named ? [named] : quoted.filter((q) => known.has(q));
  // Coordinates as messages write them: Type, Type.field, Type.field(argument:), @directive.
  const coordinates = quoted.filter((q) => !known.has(q) && /^@?[_A-Za-z][_A-Za-z0-9]*(\.[_A-Za-z][_A-Za-z0-9]*(\([_A-Za-z][_A-Za-z0-9]*:\))?)?$/.test(q)).map((q) => q.replace(/\(.*$/, ''));
  const locations: SourceLocation[] = [];
  for (const source of sources.filter((s) => (subgraphs.length ? subgraphs.includes(s.name) : true))) {
    if (!source.document) continue;
    const at = (line: number, column: number) => locations.push({ subgraph: source.name, file: source.file, line, column });
    if (named === source.name && error.locations?.[0]) {
      at(error.locations[0].line, error.locations[0].column);
      continue;
    }
    const linkIssue = extensions.code === 'UNKNOWN_FEDERATION_LINK_VERSION' || extensions.code === 'INVALID_LINK_DIRECTIVE_USAGE';
    const found = linkIssue ? findFederationLink(source.document) : coordinates.map((c) => findCoordinate(source.document!, c)).find(Boolean);
    const position = lineColumn(found);
    if (position) at(position.line, position.column);
    else if (named === source.name) at(1, 1);
  }
  return { subgraphs: [...new Set([...subgraphs, ...locations.map((l) => l.subgraph)])], locations, message: named ? `[${named}] ${message}` : message };
}

function toProblems(errors: readonly GraphQLError[], sources: SubgraphSource[], graph: string): SchemaProblem[] {
  return errors.map((error) => {
    const code = String((error.extensions as { code?: string }).code ?? 'COMPOSITION_ERROR');
    const located = locateError(error, sources);
    return { code, message: graph === 'main' ? located.message : `contract "${graph}": ${located.message}`, hint: compositionHint(code), locations: located.locations };
  });
}

function toGraph(result: CompositionResult): ComposedGraph | null {
  return result.errors ? null : { supergraphSdl: result.supergraphSdl, apiSdl: result.publicSdl };
}

/** Composes the main graph and every contract; problems come back located in the subgraph files. */
export function composeGraphs(sources: SubgraphSource[], contracts: ContractDefinition[]): { main: ComposedGraph | null; contracts: Map<string, ComposedGraph | null>; problems: SchemaProblem[] } {
  const services = sources.filter((s) => s.document).map((s) => ({ name: s.name, url: s.url, typeDefs: s.document! }));
  const result = composeServices(services);
  const problems = result.errors ? toProblems(result.errors, sources, 'main') : [];
  const composedContracts = new Map<string, ComposedGraph | null>();
  for (const contract of contracts) {
    if (result.errors) {
      composedContracts.set(contract.name, null);
      continue;
    }
    const contractResult = composeSchemaContract(services, { include: new Set(contract.include), exclude: new Set(contract.exclude) }, true);
    if (contractResult.errors) problems.push(...toProblems(contractResult.errors, sources, contract.name));
    composedContracts.set(contract.name, toGraph(contractResult));
  }
  return { main: toGraph(result), contracts: composedContracts, problems };
}
