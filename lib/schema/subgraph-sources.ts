import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { z } from 'zod';
import type { SchemaProblem } from './problem.js';
import { readJsonConfig } from './json-config.js';

const subgraphsConfig = z.object({
  subgraphs: z.array(z.object({ name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lowercase names'), schema: z.string().min(1), url: z.url() }).strict()).min(1),
}).strict();

/** One subgraph's SDL as read from disk: its parsed document, or null when the file does not parse. */
export interface SubgraphSource {
  name: string;
  /** Path relative to the workspace root, as reports print it. */
  file: string;
  url: string;
  sdl: string;
  document: DocumentNode | null;
}

/** Reads every subgraph listed in the workspace's subgraphs.json; unreadable or unparsable files become problems. */
export function loadSubgraphSources(root: string, configFile: string): { sources: SubgraphSource[]; problems: SchemaProblem[] } {
  const config = readJsonConfig(configFile, root, subgraphsConfig, 'SUBGRAPHS_CONFIG_INVALID', 'list each subgraph as {"name", "schema", "url"} under "subgraphs"');
  if (!config.ok) return { sources: [], problems: [config.problem] };
  const sources: SubgraphSource[] = [];
  const problems: SchemaProblem[] = [];
  for (const entry of config.value.subgraphs) {
    const path = join(root, entry.schema);
    if (!existsSync(path)) {
      problems.push({ code: 'SUBGRAPH_FILE_MISSING', message: `subgraph "${entry.name}": ${entry.schema} does not exist`, hint: 'fix the "schema" path in schema/subgraphs.json', locations: [] });
      continue;
    }
    const sdl = readFileSync(path, 'utf8');
    let document: DocumentNode | null = null;
    try {
      document = parse(sdl);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const at = error.locations?.[0] ?? { line: 1, column: 1 };
      problems.push({
        code: 'SDL_SYNTAX_ERROR',
        message: `subgraph "${entry.name}": ${error.message.replace(/^Syntax Error: /, '')}`,
        hint: 'the file is not valid GraphQL SDL: fix the token at this position (an unclosed brace or string is often reported further down)',
        locations: [{ subgraph: entry.name, file: entry.schema, line: at.line, column: at.column }],
      });
    }
    sources.push({ name: entry.name, file: entry.schema, url: entry.url, sdl, document });
  }
  return { sources, problems };
}
