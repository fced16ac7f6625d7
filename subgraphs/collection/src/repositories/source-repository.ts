import type { Collection } from 'mongodb';
import { ListEntries, type ListEntryDocument, type ListPage } from '../../../../lib/list-entries.js';
import { listKey, textPart } from '../../../../lib/list-key.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { KeyedList } from '../models/lists.js';
import type { SourceDocument, SourceKind } from '../models/source.js';

/** `so|tenant|name`: a tenant's sources by name. */
export function sourceList(tenantId: string): KeyedList {
  return { prefix: listKey('so', textPart(tenantId)), direction: 1, order: 'NAME' };
}

function sourceListEntry(source: Pick<SourceDocument, '_id' | 'tenantId' | 'name'>): ListEntryDocument {
  return { _id: listKey('so', textPart(source.tenantId), textPart(source.name)), tenantId: source.tenantId, ref: source._id };
}

export class SourceRepository {
  readonly collection: Collection<SourceDocument>;
  readonly lists: ListEntries;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<SourceDocument>('sources');
    this.lists = new ListEntries(database.db, 'list_entries');
  }

  /** Names are unique per tenant by construction (the id derives from them): nothing to index. */
  async ensureIndexes(): Promise<void> {}

  /** Inserts sources whose id is not stored yet; returns the ids that already existed, untouched. List entries go first (a crash leaves an entry without its source, skipped when read). */
  async insertNew(sources: readonly SourceDocument[]): Promise<Set<string>> {
    await this.lists.add(sources.map(sourceListEntry));
    const duplicates = await insertManyIgnoringDuplicates(this.collection, sources);
    return new Set([...duplicates].map((index) => sources[index]!._id));
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, SourceDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** Sets the kind of one source; null when the tenant has no source with that id. A kind set here is no longer implicit. */
  updateKind(tenantId: string, id: string, kind: SourceKind, now: Date): Promise<SourceDocument | null> {
    return retryTransient(() => this.collection.findOneAndUpdate(
      { _id: id, tenantId },
      { $set: { kind, implicit: false, updatedAt: now } },
      { returnDocument: 'after', comment: 'updateSourceKind' },
    ));
  }

  /** Gives a source that only reviews created a kind of its own; null when it is not (or no longer) implicit. */
  claimImplicit(tenantId: string, id: string, kind: SourceKind, now: Date): Promise<SourceDocument | null> {
    return retryTransient(() => this.collection.findOneAndUpdate(
      { _id: id, tenantId, implicit: true },
      { $set: { kind, implicit: false, updatedAt: now } },
      { returnDocument: 'after', comment: 'claimImplicitSource' },
    ));
  }

  /** A page of the tenant's sources by name: one range read of the list, one `$in` read of the sources. */
  listPage(tenantId: string, first: number, afterKey: string | null): Promise<ListPage<SourceDocument>> {
    return this.lists.readPage(sourceList(tenantId), afterKey, first, 'listSources', async (entries) => {
      const found = await this.findByIds(tenantId, entries.map((e) => e.ref));
      return entries.map((e) => found.get(e.ref) ?? null);
    });
  }
}
