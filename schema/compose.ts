import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const supergraphPath = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

export interface SubgraphEntry { name: string; schema: string; url: string }

/** The subgraphs the gateway composes, with their default local URLs. */
export function subgraphEntries(): SubgraphEntry[] {
  const config = JSON.parse(readFileSync(new URL('./subgraphs.json', import.meta.url), 'utf8')) as { subgraphs: SubgraphEntry[] };
  return config.subgraphs;
}

/** Composes the subgraph SDL files into a supergraph; throws with every composition error listed. */
export function composeSupergraph(): string {
  const services = subgraphEntries().map((entry) => ({
    name: entry.name,
    url: entry.url,
    typeDefs: parse(readFileSync(new URL(`../${entry.schema}`, import.meta.url), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return `# Composed by \`npm run compose\` from schema/subgraphs.json. Do not edit by hand.\n${result.supergraphSdl}\n`;
}
