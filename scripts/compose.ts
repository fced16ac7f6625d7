import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { composeAll, projectRoot, servedSupergraphPath, servedSupergraphText } from '../schema/compose.js';

try {
  for (const [graph, composed] of composeAll()) {
    const path = servedSupergraphPath(projectRoot, graph);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, servedSupergraphText(graph, composed));
    process.stdout.write(`wrote ${relative(projectRoot, path)}\n`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
