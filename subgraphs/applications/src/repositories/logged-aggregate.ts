import type { AnyBulkWriteOperation, Collection, Filter } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { BoundedCache } from './bounded-cache.js';
import { coalesced } from './coalesced-reads.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';

/** A derived document shared by writers: its `version` counts the log entries folded into it. */
export interface Aggregate { _id: string; tenantId: string; recentEffects: string[]; version: number; updatedAt: Date }

/** One change with the key that makes it count once. */
export interface Keyed { key: string }

/** Changes for one aggregate, and the document it starts from when it has none yet. */
export interface AggregateChanges<T, C> { id: string; create: () => T; changes: readonly C[] }

/** What `applyMany` did: how many changes were new, and the documents as they now stand, per aggregate id (those it handed to `apply` are absent from `current`). */
export interface AppliedMany<T> { applied: Map<string, number>; current: Map<string, T> }

/** A stored document's version and each of its fields in a comparable form. */
interface StoredState { version: number; fields: Record<string, string> }

/** What this process holds of an aggregate it read or wrote: the document at its version, and what is stored when that is known. */
interface Known<T> { doc: T; stored: StoredState | null }

/**
 * How much of the documents it wrote last a process keeps in memory, per kind of aggregate, in
 * characters of their stored form (the heap holds about three times that: the document and the
 * stored form it is compared with).
 */
export const KNOWN_CHARACTERS = 8_000_000;
/** What a remembered document whose stored form is not known counts for. */
const UNKNOWN_WEIGHT = 4_096;
const weightOf = (known: { stored: StoredState | null }) => (known.stored ? Object.values(known.stored.fields).reduce((n, f) => n + f.length, 0) : UNKNOWN_WEIGHT);

/** Changes with their first occurrence of each key. */
function distinctKeys<C extends Keyed>(changes: readonly C[]): C[] {
  const seen = new Set<string>();
  return changes.filter((c) => !seen.has(c.key) && (seen.add(c.key), true));
}

/** Each field as it is stored, told apart by type (a packed string from an object written before packing). */
function storedForm(fields: Record<string, unknown>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) form[key] = typeof value === 'string' ? `s${value}` : `j${JSON.stringify(value)}`;
  return form;
}

/** An append-only entry: the changes that made version `seq` of aggregate `aggregateId` (stored as one JSON string; entries written before hold the array). */
interface LogEntry<C> { _id: string; tenantId: string; aggregateId: string; seq: number; changes: C[] | string }

/** Keys of applied changes an aggregate remembers: a change submitted again within this many later changes counts once. */
export const RECENT_EFFECTS = 1_000;
/**
 * The key memory grows past RECENT_EFFECTS by up to this many keys before it is cut back, and is
 * stored in two parts cut at a multiple of it (`recentEffects`, then `recentEffectsTail`): the first
 * part is the same for this many keys, so most updates send only the short second part.
 */
const EFFECTS_STEP = 250;
const EFFECTS_TAIL = 'recentEffectsTail';
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
 * (A new aggregate's first version is its document, inserted with the changes folded in: the
 * insert of its `_id` decides the same way, and a reader starts from it.)
 * The materialised document is written after, and may lag (a crash, or a race between two
 * writers); every reader and writer folds the entries after its version before using it, so a
 * lagging document never shows or loses a change.
 *
 * A writer remembers the documents it wrote last (up to KNOWN_CHARACTERS of them): its next write of one
 * skips the read, since the insert of the next entry fails when any other writer went on from it.
 * The one gap is a log trimmed behind a memory that fell more than LOG_KEPT versions behind;
 * the guarded document update finds that out, and those changes go the one-by-one way.
 */
export class LoggedAggregate<T extends Aggregate, C extends Keyed> {
  readonly log: Collection<LogEntry<C>>;

  /**
   * `packed` fields (always `recentEffects`) are stored as one JSON string each: FerretDB keeps a
   * type entry for every element of an array or nested object and converts them one by one on
   * every read and write, and an aggregate's key memory, aspects, quotes and days were most of its
   * size and cost. `split` fields (maps) are stored as one JSON string per entry, in fields named
   * `<field>:<key>`, so an update sends only the entries that changed (a month's days: the days a
   * batch touched). Fields that filters use (`_id`, `tenantId`, `version`) and the counts stay
   * fields; a document written before, with those fields as they are, is read as it is.
   */
  constructor(private readonly database: Database, readonly collection: Collection<T>, logName: string, private readonly fold: (doc: T, change: C) => void, layout: { packed?: ReadonlyArray<keyof T & string>; split?: ReadonlyArray<keyof T & string>; /** characters of stored form remembered (KNOWN_CHARACTERS) */ known?: number } = {}) {
    this.log = database.db.collection<LogEntry<C>>(logName);
    this.packed = [...new Set<string>(['recentEffects', ...(layout.packed ?? [])])];
    this.split = [...(layout.split ?? [])];
    this.known = new BoundedCache<string, Known<T>>(layout.known ?? KNOWN_CHARACTERS, weightOf);
  }

  private readonly known: BoundedCache<string, Known<T>>;
  private readonly packed: string[];
  private readonly split: string[];

  /** A document as read from the collection, with its packed and split fields unpacked (in place). */
  fromStored(doc: T): T {
    const fields = doc as unknown as Record<string, unknown>;
    for (const key of this.packed) if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
    if (typeof fields[EFFECTS_TAIL] === 'string') {
      fields.recentEffects = [...((fields.recentEffects as string[] | undefined) ?? []), ...(JSON.parse(fields[EFFECTS_TAIL] as string) as string[])];
      delete fields[EFFECTS_TAIL];
    }
    for (const field of this.split) {
      // Written before splitting: one packed string, or the map as it is (a rebuild writes it so).
      const map: Record<string, unknown> = typeof fields[field] === 'string' ? JSON.parse(fields[field] as string) : { ...((fields[field] as Record<string, unknown> | undefined) ?? {}) };
      const prefix = `${field}:`;
      for (const key of Object.keys(fields)) {
        if (!key.startsWith(prefix)) continue;
        map[key.slice(prefix.length)] = JSON.parse(fields[key] as string);
        delete fields[key];
      }
      fields[field] = map;
    }
    return doc;
  }

  private fromStoredAll(docs: Map<string, T>): Map<string, T> {
    for (const doc of docs.values()) this.fromStored(doc);
    return docs;
  }

  private toStored(doc: T): Record<string, unknown> & { _id: string } {
    const fields = { ...doc } as unknown as Record<string, unknown> & { _id: string };
    const effects = doc.recentEffects;
    const cut = Math.floor(effects.length / EFFECTS_STEP) * EFFECTS_STEP;
    if (cut < effects.length) {
      fields.recentEffects = effects.slice(0, cut);
      fields[EFFECTS_TAIL] = JSON.stringify(effects.slice(cut));
    }
    for (const key of this.packed) if (key in fields) fields[key] = JSON.stringify(fields[key]);
    for (const field of this.split) {
      const map = (fields[field] ?? {}) as Record<string, unknown>;
      delete fields[field];
      for (const [key, value] of Object.entries(map)) fields[`${field}:${key}`] = JSON.stringify(value);
    }
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
    const effects = [...doc.recentEffects, ...changes.map((c) => c.key)];
    doc.recentEffects = effects.length > RECENT_EFFECTS + EFFECTS_STEP ? effects.slice(-RECENT_EFFECTS) : effects;
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
   * `apply` for many aggregates of one tenant in a few round trips. An aggregate this process wrote
   * last is not read again: the insert of its next log entry is the check (exactly one writer gets
   * each version, so when ours lands the document we hold is the one it follows), and the document
   * update sends only the fields that changed, guarded by the version it was stored at. The others
   * cost one read of the documents (and one insert of those missing) and one probe of their next
   * log entries. Then one insert of all the new entries and the document updates. An aggregate whose
   * entry another writer took first goes the one-by-one way of `apply`. Returns how many changes
   * were new, and the documents as they now stand, per aggregate id.
   */
  async applyMany(tenantId: string, items: readonly AggregateChanges<T, C>[], now: Date): Promise<AppliedMany<T>> {
    const applied = new Map<string, number>();
    const current = new Map<string, T>();
    if (items.length === 0) return { applied, current };
    const docs = new Map<string, T>();
    const storedOf = new Map<string, StoredState | null>();
    const cached = new Set<string>();
    for (const item of items) {
      const known = this.known.get(item.id);
      if (!known || known.doc.tenantId !== tenantId) continue;
      docs.set(item.id, known.doc);
      storedOf.set(item.id, known.stored);
      cached.add(item.id);
    }
    const oneByOne: Array<AggregateChanges<T, C>> = [];
    const unknown = items.filter((i) => !docs.has(i.id));
    // An aggregate this process does not hold is most often new: its document is inserted at its first
    // version, the changes folded in (the insert of that `_id` decides, as an entry's would); only those
    // already stored are read.
    const born = unknown.map((item) => {
      const doc = item.create();
      const fresh = distinctKeys(item.changes);
      this.foldEntry(doc, fresh, 1);
      doc.updatedAt = now;
      return { item, doc, fresh, stored: this.toStored(doc) };
    });
    const existing = await insertManyIgnoringDuplicates(this.collection, born.map((b) => b.stored) as never[]);
    for (const [i, { item, doc, fresh, stored }] of born.entries()) {
      if (existing.has(i)) continue;
      const { _id, ...fields } = stored;
      this.known.set(item.id, { doc, stored: { version: 1, fields: storedForm(fields) } });
      applied.set(item.id, fresh.length);
      current.set(item.id, doc);
    }
    const stored = born.filter((_, i) => existing.has(i)).map((b) => b.item);
    if (stored.length > 0) {
      const read = await this.readStored(tenantId, stored.map((i) => i.id));
      for (const item of stored) if (!read.has(item.id)) oneByOne.push(item);
      for (const [id, { doc, stored }] of read) {
        docs.set(id, doc);
        storedOf.set(id, stored);
      }
      // Entries past a document's version (a crash, or another writer) are folded first.
      for (let open = [...read.values()].map((r) => r.doc); open.length > 0;) {
        const next = await findByIds(this.database, this.log, tenantId, open.map((d) => logId(d._id, d.version + 1)));
        open = [...next.values()].map((entry) => {
          const doc = docs.get(entry.aggregateId)!;
          this.foldEntry(doc, entry.changes, entry.seq);
          return doc;
        });
      }
    }
    const written: T[] = [];
    const entries: Array<{ item: AggregateChanges<T, C>; doc: T; fresh: C[]; entry: LogEntry<C> }> = [];
    for (const item of items) {
      const doc = docs.get(item.id);
      if (!doc) continue;
      const seen = new Set(doc.recentEffects);
      const fresh = item.changes.filter((c) => !seen.has(c.key) && (seen.add(c.key), true));
      if (fresh.length === 0) {
        applied.set(item.id, 0);
        current.set(item.id, doc);
        const stored = storedOf.get(item.id);
        if (stored && doc.version > stored.version) written.push(doc);
        else this.known.set(item.id, { doc, stored: stored ?? null });
        continue;
      }
      const seq = doc.version + 1;
      entries.push({ item, doc, fresh, entry: { _id: logId(item.id, seq), tenantId, aggregateId: item.id, seq, changes: JSON.stringify(fresh) } });
    }
    const taken = await insertManyIgnoringDuplicates(this.log, entries.map((e) => e.entry) as never[]);
    const base = new Map<string, number>();
    for (const [i, { item, doc, fresh, entry }] of entries.entries()) {
      if (taken.has(i)) {
        this.known.delete(item.id);
        oneByOne.push(item);
        continue;
      }
      base.set(item.id, doc.version);
      this.foldEntry(doc, fresh, entry.seq);
      written.push(doc);
      applied.set(item.id, fresh.length);
      current.set(item.id, doc);
    }
    const suspect = await this.materialiseMany(written, storedOf, cached, base, now);
    for (const id of suspect) {
      applied.delete(id);
      current.delete(id);
      oneByOne.push(items.find((i) => i.id === id)!);
    }
    await Promise.all(oneByOne.map(async (item) => applied.set(item.id, await this.apply(item.id, tenantId, item.create, item.changes, now))));
    return { applied, current };
  }

  /** Documents by id as stored, unpacked, with what their stored fields are. */
  private async readStored(tenantId: string, ids: readonly string[]): Promise<Map<string, { doc: T; stored: StoredState }>> {
    const found = await findByIds(this.database, this.collection, tenantId, ids);
    const result = new Map<string, { doc: T; stored: StoredState }>();
    for (const [id, raw] of found) {
      const { _id, ...fields } = raw as unknown as Record<string, unknown>;
      const stored = { version: raw.version, fields: storedForm(fields) };
      result.set(id, { doc: this.fromStored(raw), stored });
    }
    return result;
  }

  /**
   * Writes documents in updates of at most UPDATES_PER_COMMAND: only the changed fields of one whose
   * stored fields are known (guarded by its stored version), all of them otherwise (guarded to be
   * newer). Every update of a command that took them all leaves its document known as stored. When
   * some did not take, the versions stored are read: a document behind ours is written whole; one
   * far ahead of the entry a remembered aggregate just appended (a trimmed log lets a stale memory's
   * insert land) is returned, for its changes to go the one-by-one way.
   */
  private async materialiseMany(docs: readonly T[], storedOf: ReadonlyMap<string, StoredState | null>, cached: ReadonlySet<string>, base: ReadonlyMap<string, number>, now: Date): Promise<Set<string>> {
    const suspect = new Set<string>();
    if (docs.length === 0) return suspect;
    const plans = docs.map((doc) => {
      doc.updatedAt = now;
      const { _id, ...fields } = this.toStored(doc);
      const form = storedForm(fields);
      const stored = storedOf.get(_id) ?? null;
      // A whole write replaces the document, so a split entry that is gone goes with it.
      const whole: AnyBulkWriteOperation<T> = { replaceOne: { filter: { _id, version: { $lt: doc.version } } as Filter<T>, replacement: { ...fields } as never } };
      if (!stored) return { doc, form, op: whole, whole };
      const changed = Object.fromEntries(Object.entries(fields).filter(([key]) => stored.fields[key] !== form[key]));
      const gone = Object.keys(stored.fields).filter((key) => !(key in form));
      const update = gone.length > 0 ? { $set: changed, $unset: Object.fromEntries(gone.map((key) => [key, ''])) } : { $set: changed };
      const op: AnyBulkWriteOperation<T> = { updateOne: { filter: { _id, version: stored.version } as Filter<T>, update: update as never } };
      return { doc, form, op, whole };
    });
    for (let start = 0; start < plans.length; start += UPDATES_PER_COMMAND) {
      const chunk = plans.slice(start, start + UPDATES_PER_COMMAND);
      const result = await retryTransient(() => this.collection.bulkWrite(chunk.map((p) => p.op), { ordered: false }));
      if (result.matchedCount === chunk.length) {
        for (const { doc, form } of chunk) this.known.set(doc._id, { doc, stored: { version: doc.version, fields: form } });
        continue;
      }
      const versions = await retryTransient(() => this.collection.find({ _id: { $in: chunk.map((p) => p.doc._id) } } as Filter<T>, { projection: { _id: 1, version: 1 }, comment: 'aggregateVersions' }).toArray());
      const storedVersion = new Map(versions.map((v) => [v._id as string, v.version as number]));
      const behind: Array<(typeof chunk)[number]["whole"]> = [];
      for (const plan of chunk) {
        const id = plan.doc._id;
        const version = storedVersion.get(id);
        const appendedTo = base.get(id);
        if (version === undefined || (cached.has(id) && appendedTo !== undefined && version > appendedTo + LOG_KEPT)) {
          this.known.delete(id);
          suspect.add(id);
          continue;
        }
        if (version < plan.doc.version) behind.push(plan.whole);
        this.known.set(id, { doc: plan.doc, stored: null });
      }
      if (behind.length > 0) await retryTransient(() => this.collection.bulkWrite(behind, { ordered: false }));
    }
    // A suspect's entry may follow a trimmed one that nothing reads: it goes, and its changes are applied again.
    if (suspect.size > 0) await retryTransient(() => this.log.deleteMany({ _id: { $in: [...suspect].map((id) => logId(id, base.get(id)! + 1)) } } as Filter<LogEntry<C>>));
    const trimmed = docs.filter((doc) => !suspect.has(doc._id) && doc.version % 100 === 0 && doc.version > LOG_KEPT).flatMap((doc) => this.trimmedIds(doc));
    if (trimmed.length > 0) await retryTransient(() => this.log.deleteMany({ _id: { $in: trimmed } } as Filter<LogEntry<C>>));
    return suspect;
  }

  /** Forgets every remembered document (a rebuild rewrote them): the next write reads them again. */
  forgetKnown(): void {
    this.known.clear();
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
    await retryTransient(() => this.collection.replaceOne({ _id, version: { $lt: doc.version } } as Filter<T>, fields as never));
    if (doc.version % 100 === 0 && doc.version > LOG_KEPT) await retryTransient(() => this.log.deleteMany({ _id: { $in: this.trimmedIds(doc) } } as Filter<LogEntry<C>>));
  }
}

