import { MongoClient, type Collection, type Db, type Document, type Filter } from 'mongodb';
import { isDuplicateKeyError } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { watchServerMonitor } from './mongo-watchdog.js';

/** A connected database plus what the server can push down, detected once at connect time. */
export interface Database {
  client: MongoClient;
  db: Db;
  /** Whether the server is FerretDB (reported in logs and benchmarks; repositories run the same code on both). */
  isFerretDB: boolean;
  close(): Promise<void>;
}

/** Name of the database a subgraph owns, e.g. `reviewgraph_collection`. */
export function databaseName(prefix: string, owner: string): string {
  return `${prefix}_${owner}`;
}

/**
 * Every phase of a driver call has an end, so a connection left dead by a server restart fails the call
 * (and the bus redelivers) instead of hanging it: server selection, pool checkout (unbounded by default),
 * connecting, and waiting on a reply. The monitor polls often so a restarted server is seen quickly.
 */
export const CONNECTION_BOUNDS = {
  serverSelectionTimeoutMS: 10_000,
  waitQueueTimeoutMS: 30_000,
  connectTimeoutMS: 10_000,
  heartbeatFrequencyMS: 2_000,
  serverMonitoringMode: 'poll',
} as const;

/**
 * Longest one database call waits at each step (`DB_OPERATION_TIMEOUT_MS`): finding the server, getting
 * a connection, connecting, and above all the reply. Past it the driver gives up (closing a connection
 * whose reply did not come) and the call fails as unreachable (`DATABASE_UNAVAILABLE`), so a hung
 * database does not pile calls up in a process: a call ends within a few bounds, never 300 s later. It
 * bounds each round trip, not a cursor's whole life (startup backfills read whole collections batch by
 * batch). The driver (7.x) has no whole-operation deadline: its `timeoutMS` option is a documented no-op.
 * The default sits under the gateway's 30 s mutation timeout and far above a 500-review insert on a
 * loaded machine; set it under `SUBGRAPH_TIMEOUT_MS` for reads to get the code instead of the gateway's
 * `SUBGRAPH_TIMEOUT`.
 */
export const DEFAULT_OPERATION_TIMEOUT_MS = 20_000;

/** The bound from `DB_OPERATION_TIMEOUT_MS` (an integer of at least 100 ms), else the default. */
export function operationTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.DB_OPERATION_TIMEOUT_MS);
  return env.DB_OPERATION_TIMEOUT_MS && Number.isInteger(value) && value >= 100 ? value : DEFAULT_OPERATION_TIMEOUT_MS;
}

/** The client's bounds under a per-step operation bound: no step waits longer than it. */
export function boundsFor(operationMs: number) {
  return {
    ...CONNECTION_BOUNDS,
    serverSelectionTimeoutMS: Math.min(CONNECTION_BOUNDS.serverSelectionTimeoutMS, operationMs),
    waitQueueTimeoutMS: Math.min(CONNECTION_BOUNDS.waitQueueTimeoutMS, operationMs),
    connectTimeoutMS: Math.min(CONNECTION_BOUNDS.connectTimeoutMS, operationMs),
    socketTimeoutMS: operationMs,
  };
}

/**
 * Longest a healthy monitor goes without answering a heartbeat: a check connects and shakes hands
 * (one `connectTimeoutMS` each), and the next starts `heartbeatFrequencyMS` later. Past it the client
 * is reconnected (`lib/mongo-watchdog.ts`).
 */
export const MONITOR_STALL_MS = 2 * CONNECTION_BOUNDS.connectTimeoutMS + CONNECTION_BOUNDS.heartbeatFrequencyMS;

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export interface ConnectOptions {
  /** Receives the driver's monitoring events (debug) and the watchdog's recoveries (warn); default a logger at `LOG_LEVEL`. */
  log?: Logger;
  /** Longest wait for one reply; default `operationTimeoutMs()`. */
  operationTimeoutMs?: number;
}

/** Connects with the official driver, detects FerretDB from `buildInfo`, and watches the driver's server monitor. */
export async function connectDatabase(uri: string, name: string, options: ConnectOptions = {}): Promise<Database> {
  const level = process.env.LOG_LEVEL && LOG_LEVELS.has(process.env.LOG_LEVEL) ? process.env.LOG_LEVEL : 'info';
  const log = (options.log ?? createLogger('database', level)).child({ component: 'mongo', database: name });
  const client = new MongoClient(uri, { ...boundsFor(options.operationTimeoutMs ?? operationTimeoutMs()), maxPoolSize: 50, appName: name });
  await client.connect();
  const watchdog = watchServerMonitor(client, { stallMs: MONITOR_STALL_MS, log });
  try {
    const db = client.db(name);
    const info = await db.admin().command({ buildInfo: 1 });
    const isFerretDB = typeof info.ferretdbVersion === 'string';
    const close = async () => {
      watchdog.stop();
      await client.close();
    };
    return { client, db, isFerretDB, close };
  } catch (error) {
    watchdog.stop();
    await client.close().catch(() => undefined);
    throw error;
  }
}

type IdDocument = Document & { _id: string; tenantId: string };

/**
 * Loads many documents of one tenant by `_id` in one command, `_id: { $in }` with the tenant: served by
 * the `_id` index on MongoDB and on the embedded FerretDB (its patched backend narrows by the `_id`
 * list, its handler applies the tenant). The result is keyed by `_id`; missing ids are simply absent.
 */
export async function findByIds<T extends IdDocument>(_database: Database, collection: Collection<T>, tenantId: string, ids: readonly string[]): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, T>();
  if (unique.length === 0) return found;
  const docs = await collection.find({ _id: { $in: unique }, tenantId } as Filter<T>, { comment: `findByIds ${collection.collectionName}` }).toArray();
  for (const doc of docs) found.set(doc._id, doc as T);
  return found;
}

/**
 * Inserts documents, leaving any whose `_id` is already stored untouched; returns the indexes of
 * those duplicates. Inserts are point writes on every server (FerretDB scans for upserts whose filter has no `_id`).
 */
export async function insertManyIgnoringDuplicates<T extends Document>(collection: Collection<T>, docs: readonly T[]): Promise<Set<number>> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return duplicates;
  try {
    // A retried insert is safe: what the first attempt stored comes back as duplicates.
    await retryTransient(() => collection.insertMany(docs as never, { ordered: false }));
  } catch (error) {
    // Only a bulk error that accounts for every document (inserted or duplicate) means "stored": the
    // driver also throws MongoBulkWriteError, with no write errors, when the connection dies mid-insert.
    const bulk = error as { writeErrors?: Array<{ index: number; code?: number }>; insertedCount?: number };
    const writeErrors = bulk.writeErrors;
    if (!writeErrors || writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000)) throw error;
    if (bulk.insertedCount !== undefined && bulk.insertedCount + writeErrors.length !== docs.length) throw error;
    for (const w of writeErrors) duplicates.add(w.index);
  }
  return duplicates;
}

/** Inserts one document under its `_id`; false when that `_id` is already stored (another writer made it first). */
export async function insertIfAbsent<T extends Document>(collection: Collection<T>, doc: T): Promise<boolean> {
  try {
    await retryTransient(() => collection.insertOne(doc as never));
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Errors worth retrying: FerretDB/SQLite's busy lock, and MongoDB's transient and retryable-write labels. */
export function isTransientError(error: unknown): boolean {
  const e = error as { message?: unknown; hasErrorLabel?: (label: string) => boolean } | null;
  if (!e) return false;
  if (typeof e.message === 'string' && /SQLITE_BUSY|database is locked/.test(e.message)) return true;
  return typeof e.hasErrorLabel === 'function' && (e.hasErrorLabel('TransientTransactionError') || e.hasErrorLabel('RetryableWriteError'));
}

/** Runs an idempotent database call, retrying transient errors with a short growing pause. */
export async function retryTransient<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  }
}
