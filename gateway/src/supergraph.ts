import { existsSync, readFileSync } from 'node:fs';
import { contractSupergraphPath, subgraphEntries, supergraphPath } from '../../schema/compose.js';

function withUrls(sdl: string, urls: Record<string, string>): string {
  for (const entry of subgraphEntries()) {
    const url = urls[entry.name];
    if (url && url !== entry.url) sdl = sdl.replaceAll(`url: "${entry.url}"`, `url: "${url}"`);
  }
  return sdl;
}

/** The committed supergraph with each subgraph's URL replaced by the one this deployment uses. */
export function loadSupergraph(urls: Record<string, string>): string {
  return withUrls(readFileSync(supergraphPath, 'utf8'), urls);
}

/** The committed supergraph of a contract (schema/contracts/<name>.graphql), with this deployment's URLs. */
export function loadContractSupergraph(name: string, urls: Record<string, string>): string {
  return withUrls(readFileSync(contractSupergraphPath(name), 'utf8'), urls);
}

/** Throws naming the file when an API key's contract has no composed supergraph (run `npm run compose`). */
export function assertContractExists(name: string): void {
  if (!existsSync(contractSupergraphPath(name))) throw new Error(`API_KEYS names contract "${name}", but schema/contracts/${name}.graphql does not exist: add it to schema/contracts.json and run npm run compose`);
}
