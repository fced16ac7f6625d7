import type { Collection, Filter } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { coalesced } from './coalesced-reads.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';

/** A derived document shared by writers: its `version` counts the log entries folded into it. */
export interface Aggregate { _id: string; tenantId: string; recentEffects: string[]; version: number; updatedAt: Date }

/** One change with the key that makes it count once. */
export interface Keyed { key: string }

/** Changes for one aggregate, and the document it starts from when it has none yet. */
export interface AggregateChanges<T, C> { id: string; create: () => T; changes: readonly C[] }

/** An append-only entry: the changes that made version `seq` of aggregate `aggregateId` (stored as one JSON string; entries written before hold the array). */
interface LogEntry<C> { _id: string; tenantId: string; aggregateId: string; seq: number; changes: C[] | string }

/** Keys of applied changes an aggregate remembers: a change submitted again within this many later changes counts once. */
export const RECENT_EFFECTS = 1_000;
/** Log entries kept behind the materialised version (older ones are folded in, and deleted). */
const LOG_KEPT = 200;
const MAX_ATTEMPTS = 50;
/**
 * Updates sent in one `update` command. FerretDB 1.24 keeps every update's query open until the
 * whole command ends, and a database has 100 SQLite connections: a command of 100 updates waited
 * forever for a connection, and every later command on that database with it. Well below, because
 * the products' and the months' writes run at once.
 */
export const UPDATES_PER_COMMAND = 25;

const logId = (aggregateId: string, seq: number) => `${aggregateId}:${String(seq).padStart(10, '0')}`;

/**
 * An aggregate kept as an append-only log of keyed changes plus a materialised document.
 *
 * FerretDB 1.24 does not make a version-checked update atomic (measured: 40 concurrent
 * compare-and-set writers of one document, each told it won, left 1 increment), but it does
 * refuse a second insert of one `_id`. So the order of changes is decided by inserting log entry
 * `<aggregate>:<version + 1>`: exactly one writer gets each version, a loser reads on and retries.
 * The materialised document is written after, and may lag (a crash, or a race between two
 * writers); every reader and writer folds the entries after its version before using it, so a
 * lagging document never shows or loses a change.
 */
export class LoggedAggregate<T extends Aggregate, C extends Keyed> {
  readonly log: Collection<LogEntry<C>>;

  /**
   * `packed` fields (always `recentEffects`) are stored as one JSON string each: FerretDB keeps a
   * type entry for every element of an array or nested object and converts them one by one on
   * every read and write, and an aggregate's key memory, aspects, quotes and days were most of its
   * size and cost. Fields that filters use (`_id`, `tenantId`, `version`) and the counts stay
   * fields; a document written before, with those fields as they are, is read as it is.
   */
  constructor(private readonly database: Database, readonly collection: Collection<T>, logName: string, private readonly fold: (doc: T, change: C) => void, packed: ReadonlyArray<keyof T & string> = []) {
    this.log = database.db.collection<LogEntry<C>>(logName);
    this.packed = [...new Set<string>(['recentEffects', ...packed])];
  }

  private readonly packed: string[];

  /** A document as read from the collection, with its packed fields unpacked (in place). */
  fromStored(doc: T): T {
    const fields = doc as unknown as Record<string, unknown>;
    for (const key of this.packed) if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
    return doc;
  }

  private fromStoredAll(docs: Map<string, T>): Map<string, T> {
    for (const doc of docs.values()) this.fromStored(doc);
    return docs;
  }

  private toStored(doc: T): Record<string, unknown> & { _id: string } {
    const fields = { ...doc } as unknown as Record<string, unknown> & { _id: string };
    for (const key of this.packed) if (key in fields) fields[key] = JSON.stringify(fields[key]);
    return fields;
  }

  /** Current documents by id: the materialised ones with any log entries after them folded in (calls in one tick share the reads). */
  readonly current = coalesced<T>((tenantId, ids) => this.readCurrent(tenantId, ids));

  private async readCurrent(tenantId: string, ids: readonly string[]): Promise<Map<string, T>> {
    const docs = this.fromStoredAll(await findByIds(this.database, this.collection, tenantId, ids));
    const next = await findByIds(this.database, this.log, tenantId, [...docs.values()].map((d) => logId(d._id, d.version + 1)));
    for (const entry of next.values()) {
      const doc = docs.get(entry.aggregateId)!;
      const current = await this.foldForward(structuredClone(doc));
      docs.set(doc._id, current);
      // A document a crash left behind catches up here too (best effort: the next writer does it otherwise).
      await this.materialise(structuredClone(current), current.updatedAt).catch(() => undefined);
    }
    return docs;
  }

  private async foldForward(doc: T): Promise<T> {
    for (;;) {
      const entry = await retryTransient(() => this.log.findOne({ _id: logId(doc._id, doc.version + 1) } as Filter<LogEntry<C>>, { comment: 'aggregateLogEntry' }));
      if (!entry) return doc;
      this.foldEntry(doc, entry.changes, entry.seq);
    }
  }

  private foldEntry(doc: T, stored: readonly C[] | string, seq: number) {
    const changes: readonly C[] = typeof stored === 'string' ? (JSON.parse(stored) as C[]) : stored;
    for (const change of changes) this.fold(doc, change);
    doc.recentEffects = [...doc.recentEffects, ...changes.map((c) => c.key)].slice(-RECENT_EFFECTS);
    doc.version = seq;
  }

  /**
   * Appends the changes not applied yet (by key) as the aggregate's next version, then
   * materialises it. `create` gives the document of an aggregate without any entry. Returns how
   * many changes were new.
   */
  async apply(id: string, tenantId: string, create: () => T, changes: readonly C[], now: Date): Promise<number> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = (await retryTransient(() => this.collection.findOne({ _id: id } as Filter<T>, { comment: 'aggregateById' }))) as T | null;
      const stored = found && this.fromStored(found);
      if (!stored) {
        // The document exists before its first entry, so a reader never misses an entry for want of it.
        try {
          await retryTransient(() => this.collection.insertOne(this.toStored(create()) as never));
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        continue;
      }
      if (stored.tenantId !== tenantId) throw new Error(`aggregate ${id} belongs to another tenant`);
      const doc = await this.foldForward(structuredClone(stored));
      const seen = new Set(doc.recentEffects);
      const fresh = changes.filter((c) => !seen.has(c.key) && (seen.add(c.key), true));
      if (fresh.length === 0) {
        if (doc.version > stored.version) await this.materialise(doc, now);
        return 0;
      }
      const seq = doc.version + 1;
      try {
        await retryTransient(() => this.log.insertOne({ _id: logId(id, seq), tenantId, aggregateId: id, seq, changes: JSON.stringify(fresh) } as never));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3 * (attempt + 1)));
        continue;
      }
      this.foldEntry(doc, fresh, seq);
      await this.materialise(doc, now);
      return fresh.length;
    }
    throw new Error(`aggregate ${id} kept changing under concurrent writers; the events will be retried`);
  }

  /**
   * `apply` for many aggregates of one tenant in a few round trips: one read of the documents (and
   * one insert of those missing), one probe of their next log entries, one insert of all the new
   * entries, one write of the documents. An aggregate whose entry another writer took first goes
   * the one-by-one way of `apply`. Returns how many changes were new, per aggregate id.
   */
  async applyMany(tenantId: string, items: readonly AggregateChanges<T, C>[], now: Date): Promise<Map<string, number>> {
    const applied = new Map<string, number>();
    if (items.length === 0) return applied;
    const ids = items.map((i) => i.id);
    const docs = this.fromStoredAll(await findByIds(this.database, this.collection, tenantId, ids));
    const missing = items.filter((i) => !docs.has(i.id));
    if (missing.length > 0) {
      // The document exists before its first entry, so a reader never misses an entry for want of it.
      await insertManyIgnoringDuplicates(this.collection, missing.map((i) => this.toStored(i.create())) as never[]);
      for (const [id, doc] of this.fromStoredAll(await findByIds(this.database, this.collection, tenantId, missing.map((i) => i.id)))) docs.set(id, doc);
    }
    const storedVersion = new Map([...docs.values()].map((d) => [d._id, d.version]));
    // Entries past a document's version (a crash, or another writer) are folded first.
    for (let open = [...docs.values()]; open.length > 0;) {
      const next = await findByIds(this.database, this.log, tenantId, open.map((d) => logId(d._id, d.version + 1)));
      open = [...next.values()].map((entry) => {
        const doc = docs.get(entry.aggregateId)!;
        this.foldEntry(doc, entry.changes, entry.seq);
        return doc;
      });
    }
    const oneByOne: Array<AggregateChanges<T, C>> = [];
    const written: T[] = [];
    const entries: Array<{ item: AggregateChanges<T, C>; doc: T; fresh: C[]; entry: LogEntry<C> }> = [];
    for (const item of items) {
      const doc = docs.get(item.id);
      if (!doc) {
        oneByOne.push(item);
        continue;
      }
      const seen = new Set(doc.recentEffects);
      const fresh = item.changes.filter((c) => !seen.has(c.key) && (seen.add(c.key), true));
      if (fresh.length === 0) {
        applied.set(item.id, 0);
        if (doc.version > storedVersion.get(doc._id)!) written.push(doc);
        continue;
      }
      const seq = doc.version + 1;
      entries.push({ item, doc, fresh, entry: { _id: logId(item.id, seq), tenantId, aggregateId: item.id, seq, changes: JSON.stringify(fresh) } });
    }
    const taken = await insertManyIgnoringDuplicates(this.log, entries.map((e) => e.entry) as never[]);
    for (const [i, { item, doc, fresh, entry }] of entries.entries()) {
      if (taken.has(i)) {
        oneByOne.push(item);
        continue;
      }
      this.foldEntry(doc, fresh, entry.seq);
      written.push(doc);
      applied.set(item.id, fresh.length);
    }
    await this.materialiseMany(written, now);
    await Promise.all(oneByOne.map(async (item) => applied.set(item.id, await this.apply(item.id, tenantId, item.create, item.changes, now))));
    return applied;
  }

  /** `materialise` for many documents, in writes of at most UPDATES_PER_COMMAND. */
  private async materialiseMany(docs: readonly T[], now: Date): Promise<void> {
    if (docs.length === 0) return;
    const updates = docs.map((doc) => {
      doc.updatedAt = now;
      const { _id, ...fields } = this.toStored(doc);
      return { updateOne: { filter: { _id, version: { $lt: doc.version } } as Filter<T>, update: { $set: fields } as never } };
    });
    for (let start = 0; start < updates.length; start += UPDATES_PER_COMMAND) {
      const chunk = updates.slice(start, start + UPDATES_PER_COMMAND);
      await retryTransient(() => this.collection.bulkWrite(chunk, { ordered: false }));
    }
    const trimmed = docs.filter((doc) => doc.version % 100 === 0 && doc.version > LOG_KEPT).flatMap((doc) => this.trimmedIds(doc));
    if (trimmed.length > 0) await retryTransient(() => this.log.deleteMany({ _id: { $in: trimmed } } as Filter<LogEntry<C>>));
  }

  /** The log entries a document at a multiple of 100 versions no longer needs. */
  private trimmedIds(doc: T): string[] {
    const upTo = doc.version - LOG_KEPT;
    return Array.from({ length: 100 }, (_, i) => logId(doc._id, upTo - i)).filter((_x, i) => upTo - i > 0);
  }

  private async materialise(doc: T, now: Date): Promise<void> {
    doc.updatedAt = now;
    const { _id, ...fields } = this.toStored(doc);
    // Never knowingly older: a writer that lost a race here leaves a lag the next reader folds over.
    await retryTransient(() => this.collection.updateOne({ _id, version: { $lt: doc.version } } as Filter<T>, { $set: fields } as never));
    if (doc.version % 100 === 0 && doc.version > LOG_KEPT) await retryTransient(() => this.log.deleteMany({ _id: { $in: this.trimmedIds(doc) } } as Filter<LogEntry<C>>));
  }
}

