import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BASE = fileURLToPath(new URL('../fixtures/schema/base', import.meta.url));

/** A copy of the fixture workspace (two subgraphs, v0001 published) in a temporary folder, with `edits` applied. */
export function fixtureWorkspace(edits: Record<string, string | ((current: string) => string)> = {}): { root: string; read(path: string): string; write(path: string, text: string): void; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'schema-ws-'));
  cpSync(BASE, root, { recursive: true });
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const write = (path: string, text: string) => writeFileSync(join(root, path), text);
  for (const [path, edit] of Object.entries(edits)) write(path, typeof edit === 'string' ? edit : edit(read(path)));
  return { root, read, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Replaces exactly one occurrence of `from` (so a fixture edit that stops matching fails loudly). */
export const replaceOnce = (from: string, to: string) => (text: string) => {
  if (text.split(from).length !== 2) throw new Error(`fixture edit: "${from}" is not in the file exactly once`);
  return text.replace(from, to);
};
