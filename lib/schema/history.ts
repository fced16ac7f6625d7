import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Approval } from './approvals.js';
import type { ComposedGraph } from './composition.js';
import type { SchemaChange } from './schema-diff.js';

/** A published version: the graphs as they were, and what changed from the version before. */
export interface PublishedVersion {
  version: string;
  publishedAt: string;
  /** API schema SDL per graph (`main` and each contract). */
  apiSdl: Map<string, string>;
  dir: string;
}

export interface VersionRecord {
  version: string;
  publishedAt: string;
  graphs: string[];
  changes: SchemaChange[];
  approvals: Approval[];
}

const VERSION_DIR = /^v(\d{4,})$/;

function versionDirs(historyDir: string): string[] {
  if (!existsSync(historyDir)) return [];
  return readdirSync(historyDir).filter((d) => VERSION_DIR.test(d)).sort((a, b) => Number(VERSION_DIR.exec(a)![1]) - Number(VERSION_DIR.exec(b)![1]));
}

/** The last published version, or null when nothing is published yet. Throws when its files are incomplete. */
export function latestVersion(historyDir: string): PublishedVersion | null {
  const name = versionDirs(historyDir).at(-1);
  if (!name) return null;
  const dir = join(historyDir, name);
  const recordFile = join(dir, 'version.json');
  if (!existsSync(recordFile)) throw new Error(`schema/history/${name} has no version.json: restore it from git`);
  const record = JSON.parse(readFileSync(recordFile, 'utf8')) as VersionRecord;
  const apiSdl = new Map<string, string>();
  for (const graph of record.graphs) {
    const file = join(dir, `${graph}.api.graphql`);
    if (!existsSync(file)) throw new Error(`schema/history/${name}/${graph}.api.graphql is missing: restore it from git`);
    apiSdl.set(graph, readFileSync(file, 'utf8'));
  }
  return { version: record.version, publishedAt: record.publishedAt, apiSdl, dir };
}

/** The name the next version gets: v0001, v0002, … */
export function nextVersionName(historyDir: string): string {
  const last = versionDirs(historyDir).at(-1);
  const number = last ? Number(VERSION_DIR.exec(last)![1]) + 1 : 1;
  return `v${String(number).padStart(4, '0')}`;
}

/** Writes a version folder: each graph's supergraph and API schema, and the record of its changes. */
export function writeVersion(historyDir: string, record: VersionRecord, graphs: Map<string, ComposedGraph>): string {
  const dir = join(historyDir, record.version);
  mkdirSync(dir, { recursive: true });
  for (const [graph, composed] of graphs) {
    writeFileSync(join(dir, `${graph}.supergraph.graphql`), `${composed.supergraphSdl}\n`);
    writeFileSync(join(dir, `${graph}.api.graphql`), `${composed.apiSdl}\n`);
  }
  writeFileSync(join(dir, 'version.json'), `${JSON.stringify(record, null, 2)}\n`);
  return dir;
}
