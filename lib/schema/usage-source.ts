import { MongoClient } from 'mongodb';
import { z } from 'zod';
import { parseEnv, platformEnv } from '../config.js';
import { databaseName } from '../mongo.js';
import type { UsageState } from './usage-evidence.js';
import { readUsage, type UsageSummary } from './usage-store.js';

const usageEnv = z.object({
  /** The gateway's MongoDB; without it the schema tools say usage is not configured. */
  MONGODB_URI: platformEnv.MONGODB_URI.optional(),
  DB_PREFIX: platformEnv.DB_PREFIX,
});

/** The schema tools' settings for reading usage data (nothing else in them reads the environment). */
export const loadUsageEnv = () => parseEnv('schema tools', usageEnv);

/** The gateway's own database, where it flushes usage. */
export const gatewayDatabase = (prefix: string) => databaseName(prefix, 'gateway');

const describeFailure = (error: unknown) => {
  const e = error as Error;
  return `${e.name}: ${String(e.message).split('\n')[0]!.slice(0, 160)}`;
};

/** Runs `work` on the gateway database; an unreachable store is an error with a one-line reason. */
export async function withGatewayDatabase<T>(uri: string, prefix: string, work: (db: import('mongodb').Db) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 3_000, connectTimeoutMS: 3_000, appName: 'schema-tools' });
  try {
    await client.connect();
    return await work(client.db(gatewayDatabase(prefix)));
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Loads the usage window for the check, saying plainly when there is none to use. */
export async function loadUsageState(uri: string | undefined, prefix: string, windowDays: number, now = new Date()): Promise<UsageState> {
  if (!uri) return { status: 'not-configured', message: 'MONGODB_URI is not set, so no recorded usage was read (set it to the gateway\'s database to use usage evidence)' };
  let summary: UsageSummary;
  try {
    summary = await withGatewayDatabase(uri, prefix, (db) => readUsage(db, new Date(now.getTime() - windowDays * 86_400_000)));
  } catch (error) {
    return { status: 'unreachable', message: `the usage store (${gatewayDatabase(prefix)}) is unreachable (${describeFailure(error)})` };
  }
  if (summary.operations === 0) return { status: 'empty', message: `the usage store (${gatewayDatabase(prefix)}) holds no operations recorded in the last ${windowDays} days` };
  return { status: 'ok', summary, windowDays };
}
