import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Endpoints { mongoUri: string; natsUrl: string }

/** Where `npm start` keeps the embedded servers' data: REVIEWGRAPH_DATA_DIR, else `.data/embedded`. */
export function defaultDataDir(): string {
  return process.env.REVIEWGRAPH_DATA_DIR || '.data/embedded';
}

const endpointsFile = (dataDir: string) => resolve(dataDir, 'endpoints.json');

/** Records where the embedded servers of `npm start` listen, so tools run beside it can find them. */
export function writeEndpoints(dataDir: string, endpoints: Endpoints): void {
  const file = endpointsFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Forgets the endpoints once `npm start` has stopped its servers. */
export function removeEndpoints(dataDir: string): void {
  rmSync(endpointsFile(dataDir), { force: true });
}

/** MONGODB_URI and NATS_URL when set, else the embedded servers of a running `npm start`. */
export function resolveEndpoints(dataDir = defaultDataDir()): Endpoints {
  if (process.env.MONGODB_URI && process.env.NATS_URL) return { mongoUri: process.env.MONGODB_URI, natsUrl: process.env.NATS_URL };
  const file = endpointsFile(dataDir);
  if (!existsSync(file)) throw new Error('no MONGODB_URI/NATS_URL set and no running `npm start` found (start it first, or set both variables)');
  return JSON.parse(readFileSync(file, 'utf8')) as Endpoints;
}
