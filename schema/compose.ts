import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeGraphs, type ComposedGraph } from '../lib/schema/composition.js';
import { loadContracts } from '../lib/schema/contracts-config.js';
import type { SchemaProblem } from '../lib/schema/problem.js';
import { servedSupergraphPath, servedSupergraphText } from '../lib/schema/served-files.js';
import { loadSubgraphSources } from '../lib/schema/subgraph-sources.js';
import { schemaWorkspace } from '../lib/schema/workspace.js';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const supergraphPath = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));
/** Where the gateway finds the supergraph of contract `name`. */
export const contractSupergraphPath = (name: string) => fileURLToPath(new URL(`./contracts/${name}.graphql`, import.meta.url));

export interface SubgraphEntry { name: string; schema: string; url: string }

/** The subgraphs the gateway composes, with their default local URLs. */
export function subgraphEntries(): SubgraphEntry[] {
  const config = JSON.parse(readFileSync(new URL('./subgraphs.json', import.meta.url), 'utf8')) as { subgraphs: SubgraphEntry[] };
  return config.subgraphs;
}

export { servedSupergraphPath, servedSupergraphText };

function failure(problems: SchemaProblem[]): Error {
  const lines = problems.map((p) => `  - ${p.code}: ${p.message}${p.locations.length ? ` (${p.locations.map((l) => `${l.file}:${l.line}:${l.column}`).join(', ')})` : ''}`);
  return new Error(`supergraph composition failed:\n${lines.join('\n')}`);
}

/** Composes the main graph and every contract of the project; throws with every problem listed. */
export function composeAll(root = projectRoot): Map<string, ComposedGraph> {
  const workspace = schemaWorkspace(root);
  const { sources, problems } = loadSubgraphSources(root, workspace.subgraphsConfig);
  const contracts = loadContracts(workspace.contractsConfig, root);
  if (!contracts.ok) problems.push(contracts.problem);
  if (problems.length) throw failure(problems);
  const composed = composeGraphs(sources, contracts.ok ? contracts.value : []);
  if (composed.problems.length) throw failure(composed.problems);
  return new Map([['main', composed.main!], ...[...composed.contracts].map(([name, graph]) => [name, graph!] as [string, ComposedGraph])]);
}

/** Composes the subgraph SDL files into the served supergraph text; throws with every composition error listed. */
export function composeSupergraph(): string {
  return servedSupergraphText('main', composeAll().get('main')!);
}
