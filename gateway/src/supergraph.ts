import { readFileSync } from 'node:fs';
import { subgraphEntries, supergraphPath } from '../../schema/compose.js';

/** The committed supergraph with each subgraph's URL replaced by the one this deployment uses. */
export function loadSupergraph(urls: Record<string, string>): string {
  let sdl = readFileSync(supergraphPath, 'utf8');
  for (const entry of subgraphEntries()) {
    const url = urls[entry.name];
    if (url && url !== entry.url) sdl = sdl.replaceAll(`url: "${entry.url}"`, `url: "${url}"`);
  }
  return sdl;
}
