import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The options every schema command shares: `--root DIR` (a workspace other than the project) and `--json FILE`. */
export function schemaCliArgs(argv = process.argv.slice(2)) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { root: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean' }, verbose: { type: 'boolean' } } });
  return { root: resolve(values.root ?? projectRoot), json: values.json ? resolve(values.json) : null, help: values.help ?? false, verbose: values.verbose ?? false, positionals };
}
