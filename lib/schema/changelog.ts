import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { VersionRecord } from './history.js';

const TITLE = '# Schema changelog\n\nWritten by `npm run schema:publish`, newest first. Each entry lists the changes to the API schema of\nthe whole graph and of each contract since the version before, as `npm run schema:check` classified them.\n';

/** The Markdown entry for one published version. */
export function changelogEntry(record: VersionRecord, previous: string | null): string {
  const lines = [`## ${record.version} — ${record.publishedAt}`, ''];
  if (!previous) lines.push('First published version: the baseline later checks diff against.', '');
  for (const graph of record.graphs) {
    const changes = record.changes.filter((c) => c.graph === graph);
    if (!previous) continue;
    lines.push(`### ${graph === 'main' ? 'Whole graph' : `Contract "${graph}"`}`, '');
    if (changes.length === 0) lines.push('No changes.', '');
    for (const level of ['BREAKING', 'DANGEROUS', 'SAFE'] as const) {
      const some = changes.filter((c) => c.classification === level);
      if (some.length === 0) continue;
      lines.push(`**${level}**`, '');
      for (const change of some) lines.push(`- \`${change.coordinate}\` ${change.type}: ${change.message}`);
      lines.push('');
    }
  }
  if (record.approvals.length) {
    lines.push('**Approved breaks**', '');
    for (const approval of record.approvals) lines.push(`- ${approval.by}: ${approval.reason} (${approval.changes.map((c) => `${c.graph}:${c.type}:${c.coordinate}`).join(', ')})`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Puts `entry` at the top of the changelog, under its title. */
export function prependChangelog(file: string, entry: string): void {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : TITLE;
  const body = existing.startsWith(TITLE) ? existing.slice(TITLE.length) : existing;
  writeFileSync(file, `${TITLE}\n${entry.trimEnd()}\n${body ? `\n${body.replace(/^\n+/, '')}` : ''}`);
}
