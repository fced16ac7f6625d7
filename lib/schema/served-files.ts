import { join } from 'node:path';
import type { ComposedGraph } from './composition.js';

const HEADER = '# Composed by `npm run compose` from schema/subgraphs.json. Do not edit by hand.\n';
const contractHeader = (name: string) => `# Contract "${name}" (schema/contracts.json), composed by \`npm run compose\`. Do not edit by hand.\n`;

/** The text of a served supergraph file, as `npm run compose` and `npm run schema:publish` write it. */
export function servedSupergraphText(graph: string, composed: ComposedGraph): string {
  return `${graph === 'main' ? HEADER : contractHeader(graph)}${composed.supergraphSdl}\n`;
}

/** The path of a graph's served supergraph file in a workspace: the gateway reads these. */
export function servedSupergraphPath(root: string, graph: string): string {
  return graph === 'main' ? join(root, 'schema', 'supergraph.graphql') : join(root, 'schema', 'contracts', `${graph}.graphql`);
}
