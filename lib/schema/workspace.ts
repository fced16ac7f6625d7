import { join } from 'node:path';

/**
 * Where a schema workspace keeps its files, all under one root: the project itself, or a fixture
 * copied to a temporary folder. Every schema tool takes one, so tests run them on small graphs.
 */
export interface SchemaWorkspace {
  root: string;
  subgraphsConfig: string;
  historyDir: string;
  approvalsFile: string;
  lintConfig: string;
  usagePolicy: string;
  contractsConfig: string;
  operationsDir: string;
  supergraphFile: string;
  contractsDir: string;
  changelogFile: string;
  referenceDir: string;
}

/** The workspace rooted at `root` (the project root by default layout: schema/…, docs/reference). */
export function schemaWorkspace(root: string): SchemaWorkspace {
  const schema = join(root, 'schema');
  return {
    root,
    subgraphsConfig: join(schema, 'subgraphs.json'),
    historyDir: join(schema, 'history'),
    approvalsFile: join(schema, 'approvals.json'),
    lintConfig: join(schema, 'lint.json'),
    usagePolicy: join(schema, 'usage-policy.json'),
    contractsConfig: join(schema, 'contracts.json'),
    operationsDir: join(schema, 'operations'),
    supergraphFile: join(schema, 'supergraph.graphql'),
    contractsDir: join(schema, 'contracts'),
    changelogFile: join(schema, 'CHANGELOG.md'),
    referenceDir: join(root, 'docs', 'reference'),
  };
}
