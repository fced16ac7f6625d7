import type { Collection, Db } from 'mongodb';
import { insertManyIgnoringDuplicates, retryTransient } from './mongo.js';
import { listPageFilter, type ListDirection } from './list-key.js';

/** An entry of a keyed list (lib/list-key.ts): its key, and the id of the document it lists. */
export interface ListEntryDocument {
  _id: string;
  tenantId: string;
  ref: string;
  /** Whatever the owner checks the entry against when it reads it (e.g. the time in the key). */
  at?: Date;
}

/** A page of a keyed list: what its entries resolved to, and where the next page starts. */
export interface ListPage<T> {
  items: Array<{ key: string; item: T }>;
  /** The key of the page's last entry (also when what it listed is gone), or null for an empty page. */
  endKey: string | null;
  hasNextPage: boolean;
}

/**
 * A collection of list entries: writes are insert-only and idempotent (a key names one entry), a
 * page is one `_id` range read. Owners keep entries in step with what they list and check what
 * they load, so an entry left behind by a crash or a concurrent change costs a short page, never a
 * wrong row.
 */
export class ListEntries {
  readonly collection: Collection<ListEntryDocument>;

  constructor(db: Db, name: string) {
    this.collection = db.collection<ListEntryDocument>(name);
  }

  async add(entries: readonly ListEntryDocument[]): Promise<void> {
    await insertManyIgnoringDuplicates(this.collection, entries);
  }

  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: [...new Set(keys)] } }));
  }

  /**
   * A page of up to `first` entries after `afterKey`, resolved by `resolve` (null: skip the entry) in
   * one call for the page: one range read of `first + 1` entries, then what `resolve` reads.
   */
  async readPage<T>(
    list: { prefix: string; direction: ListDirection },
    afterKey: string | null,
    first: number,
    comment: string,
    resolve: (entries: ListEntryDocument[]) => Promise<Array<T | null>>,
  ): Promise<ListPage<T>> {
    if (first === 0) return { items: [], endKey: null, hasNextPage: false };
    const fetched = await this.page(list.prefix, list.direction, afterKey, first + 1, comment);
    const entries = fetched.slice(0, first);
    const resolved = entries.length > 0 ? await resolve(entries) : [];
    const items = entries.flatMap((e, i) => (resolved[i] !== null && resolved[i] !== undefined ? [{ key: e._id, item: resolved[i] as T }] : []));
    return { items, endKey: entries.at(-1)?._id ?? null, hasNextPage: fetched.length > first };
  }

  /** Up to `limit` entries of the list under `prefix` after `afterKey`, in `direction`. */
  page(prefix: string, direction: ListDirection, afterKey: string | null, limit: number, comment: string): Promise<ListEntryDocument[]> {
    return this.collection.find(listPageFilter<ListEntryDocument>(prefix, direction, afterKey), { sort: { _id: direction }, limit, comment }).toArray();
  }
}

/**
 * Writes the entries of documents stored before their lists existed, once per collection of
 * entries: one scan of `source`, in batches, then a marker (its key is in no list) that later starts skip.
 */
export async function backfillListEntries<T extends { _id: string }>(lists: ListEntries, name: string, source: Collection<T>, entriesOf: (doc: T) => ListEntryDocument[]): Promise<void> {
  const marker = `backfilled|${name}`;
  if (await lists.collection.findOne({ _id: marker }, { projection: { _id: 1 } })) return;
  let batch: ListEntryDocument[] = [];
  for await (const doc of source.find({}, { comment: `backfill ${name}` })) {
    try {
      batch.push(...entriesOf(doc as T));
    } catch (error) {
      // a document no list can hold (no valid date or rating) stays out of the lists, as it would now
      if (!(error instanceof RangeError)) throw error;
    }
    if (batch.length >= 2_000) {
      await lists.add(batch);
      batch = [];
    }
  }
  await lists.add(batch);
  await lists.add([{ _id: marker, tenantId: '', ref: '' }]);
}
