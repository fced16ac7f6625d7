import { MongoClient, type Collection, type Db, type Document, type Filter } from 'mongodb';

/** A connected database plus what the server can push down, detected once at connect time. */
export interface Database {
  client: MongoClient;
  db: Db;
  /** FerretDB scans for `$in`; a filter holding `_id: value` is what it serves from the `_id` index. */
  isFerretDB: boolean;
  close(): Promise<void>;
}

/** Name of the database a subgraph owns, e.g. `reviewgraph_collection`. */
export function databaseName(prefix: string, owner: string): string {
  return `${prefix}_${owner}`;
}

/** Connects with the official driver and detects FerretDB from `buildInfo`. */
export async function connectDatabase(uri: string, name: string): Promise<Database> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, maxPoolSize: 50, appName: name });
  await client.connect();
  const db = client.db(name);
  const info = await db.admin().command({ buildInfo: 1 });
  const isFerretDB = typeof info.ferretdbVersion === 'string';
  return { client, db, isFerretDB, close: () => client.close() };
}

type IdDocument = Document & { _id: string; tenantId: string };

/**
 * Loads many documents of one tenant by `_id` in one call: `$in` on MongoDB, concurrent point reads
 * on FerretDB. The result is keyed by `_id`; missing ids are simply absent.
 */
export async function findByIds<T extends IdDocument>(database: Database, collection: Collection<T>, tenantId: string, ids: readonly string[]): Promise<Map<string, T>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, T>();
  if (unique.length === 0) return found;
  if (database.isFerretDB) {
    const docs = await Promise.all(unique.map((id) => collection.findOne({ _id: id } as Filter<T>)));
    for (const doc of docs) if (doc && doc.tenantId === tenantId) found.set(doc._id, doc as T);
  } else {
    const docs = await collection.find({ _id: { $in: unique }, tenantId } as Filter<T>).toArray();
    for (const doc of docs) found.set(doc._id, doc as T);
  }
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
