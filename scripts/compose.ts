import { writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from '../schema/compose.js';

try {
  writeFileSync(supergraphPath, composeSupergraph());
  process.stdout.write(`wrote ${supergraphPath}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
