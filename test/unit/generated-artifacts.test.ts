import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, supergraphPath } from '../../schema/compose.js';

describe('generated artifacts are current', () => {
  it('schema/supergraph.graphql matches the subgraph schemas (run `npm run compose`)', () => {
    expect(readFileSync(supergraphPath, 'utf8'), 'supergraph is stale: run npm run compose').toBe(composeSupergraph());
  });

  it('each subgraph\'s generated resolver types match its schema (run `npm run codegen`)', async () => {
    const config = parse(readFileSync('codegen.yml', 'utf8'));
    const files = (await generate({ ...config, silent: true, cwd: process.cwd() }, false)) as Array<{ filename: string; content: string }>;
    expect(files.length).toBe(3);
    for (const file of files) {
      expect(readFileSync(file.filename, 'utf8'), `${file.filename} is stale: run npm run codegen`).toBe(file.content);
    }
  });
});
