/**
 * Vitest global setup: resolves the database and the bus once for the whole run.
 * - MONGODB_URI and NATS_URL both set → use them;
 * - otherwise → start the embedded launcher (FerretDB + NATS JetStream) on a fresh data dir
 *   `.data/test-<pid>`, stopped and deleted on teardown.
 * Test files read the URLs with `testInfra()` from test/support/infra.ts.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedServers } from '../lib/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    natsUrl: string;
  }
}

let servers: EmbeddedServers | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const envMongo = process.env.MONGODB_URI;
  const envNats = process.env.NATS_URL;
  if (envMongo && envNats) {
    project.provide('mongoUri', envMongo);
    project.provide('natsUrl', envNats);
    return;
  }
  dataDir = resolve('.data', `test-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  servers = await startEmbedded({ dataDir });
  project.provide('mongoUri', servers.mongoUri);
  project.provide('natsUrl', servers.natsUrl);
}

export async function teardown(): Promise<void> {
  await servers?.stop();
  servers = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
}
