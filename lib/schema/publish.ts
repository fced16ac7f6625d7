import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { changelogEntry, prependChangelog } from './changelog.js';
import { runSchemaCheck, type CheckReport } from './check.js';
import { servedSupergraphPath, servedSupergraphText } from './served-files.js';
import { nextVersionName, writeVersion, type VersionRecord } from './history.js';
import { writeReferenceDocs } from './reference-docs.js';
import type { UsageState } from './usage-evidence.js';
import type { SchemaWorkspace } from './workspace.js';

export type PublishOutcome =
  | { status: 'refused'; report: CheckReport }
  | { status: 'unchanged'; report: CheckReport; version: string }
  | { status: 'published'; report: CheckReport; version: string; files: string[] };

/**
 * Publishes what the subgraphs compose to now, once the check passes: a new version folder in the
 * history, its changelog entry, the served supergraph files and the reference docs. The approvals the
 * version used move into its record, so approvals.json starts empty for the next change.
 */
export async function publishSchema(workspace: SchemaWorkspace, loadUsage: (windowDays: number) => Promise<UsageState>, now = new Date()): Promise<PublishOutcome> {
  const { report, composed, usedApprovals, baseline } = await runSchemaCheck(workspace, loadUsage);
  if (!report.passed || !composed) return { status: 'refused', report };
  const changes = report.graphs.flatMap((g) => g.changes);
  const sameGraphs = baseline !== null && [...composed.keys()].every((g) => baseline.apiSdl.has(g)) && baseline.apiSdl.size === composed.size;
  if (sameGraphs && changes.length === 0) return { status: 'unchanged', report, version: baseline.version };

  const version = nextVersionName(workspace.historyDir);
  const record: VersionRecord = {
    version,
    publishedAt: now.toISOString(),
    graphs: [...composed.keys()],
    changes: changes.map(({ graph, type, coordinate, classification, message }) => ({ graph, type, coordinate, classification, message })),
    approvals: usedApprovals,
  };
  const files = [writeVersion(workspace.historyDir, record, composed)];
  prependChangelog(workspace.changelogFile, changelogEntry(record, baseline?.version ?? null));
  files.push(workspace.changelogFile);
  for (const [graph, graphComposed] of composed) {
    const path = servedSupergraphPath(workspace.root, graph);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, servedSupergraphText(graph, graphComposed));
    files.push(path);
  }
  writeReferenceDocs(workspace.referenceDir, new Map([...composed].map(([g, c]) => [g, c.apiSdl])), version);
  files.push(workspace.referenceDir);
  writeFileSync(workspace.approvalsFile, `${JSON.stringify({ approvals: [] }, null, 2)}\n`);
  files.push(workspace.approvalsFile);
  return { status: 'published', report, version, files };
}
