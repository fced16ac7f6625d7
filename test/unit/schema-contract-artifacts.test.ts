import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeAll, projectRoot, servedSupergraphPath, servedSupergraphText } from '../../schema/compose.js';

describe('served contract supergraphs are current', () => {
  it('each contract in schema/contracts.json has schema/contracts/<name>.graphql matching the subgraphs (run `npm run compose`)', () => {
    const graphs = [...composeAll()].filter(([graph]) => graph !== 'main');
    expect(graphs.map(([graph]) => graph)).toContain('partner');
    for (const [graph, composed] of graphs) {
      const path = servedSupergraphPath(projectRoot, graph);
      expect(existsSync(path), `${path} is missing: run npm run compose`).toBe(true);
      expect(readFileSync(path, 'utf8'), `schema/contracts/${graph}.graphql is stale: run npm run compose and commit it`).toBe(servedSupergraphText(graph, composed));
    }
  });
});
