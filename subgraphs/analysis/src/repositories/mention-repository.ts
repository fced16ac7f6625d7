import type { Collection } from 'mongodb';
import { backfillListEntries, ListEntries, type ListEntryDocument, type ListPage } from '../../../../lib/list-entries.js';
import { listKey, textPart, timePart } from '../../../../lib/list-key.js';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';

/**
 * The mention index behind `reviewsMentioning`: one small document per review holding the mention
 * keys of its current analysis, and one list entry per key (`mn|tenant|key|analyzedAt|review`,
 * lib/list-key.ts) so that a page is one `_id` range read. The set is the truth: a page keeps only
 * entries its review's current set still holds, so an entry left by a crash or a race never shows.
 */
export interface MentionSetDocument {
  /** The review id. */
  _id: string;
  tenantId: string;
  keys: string[];
  analyzedAt: Date;
  /** Revision of the analysis these keys come from: an older revision never overwrites a newer one. */
  revision: number;
}


/** The list of reviews under one mention key, newest analysed first. */
export function mentionList(tenantId: string, key: string): { prefix: string; direction: -1; order: string } {
  return { prefix: listKey('mn', textPart(tenantId), textPart(key)), direction: -1, order: 'NEWEST_ANALYSED' };
}

function entriesOf(set: MentionSetDocument): ListEntryDocument[] {
  return set.keys.map((key) => ({
    _id: listKey(mentionList(set.tenantId, key).prefix, timePart(set.analyzedAt), set._id),
    tenantId: set.tenantId,
    ref: set._id,
    at: set.analyzedAt,
  }));
}

export class MentionRepository {
  readonly collection: Collection<MentionSetDocument>;
  readonly lists: ListEntries;

  constructor(database: Database) {
    this.collection = database.db.collection<MentionSetDocument>('mention_sets');
    this.lists = new ListEntries(database.db, 'mention_entries');
  }

  async ensureIndexes(): Promise<void> {
    await backfillListEntries(this.lists, 'mention_sets', this.collection, entriesOf);
  }

  /** Stores the entries of first results, then their sets in one call (sets already there stay as they are). */
  async addFirst(sets: MentionSetDocument[]): Promise<void> {
    await this.lists.add(sets.flatMap(entriesOf));
    await insertManyIgnoringDuplicates(this.collection, sets);
  }

  /**
   * Replaces reviews' keys unless a newer revision's keys are already stored: reads the stored sets,
   * adds the new entries, deletes the older sets in one call and inserts the new ones in another (an
   * insert that meets a set still there means a newer revision got there first, and it stays), then
   * removes the entries of the sets replaced. Entries a crash leaves behind are skipped when read.
   */
  async replaceMany(sets: MentionSetDocument[]): Promise<void> {
    if (sets.length === 0) return;
    const ids = [...new Set(sets.map((s) => s._id))];
    const before = await this.collection.find({ _id: { $in: ids } }, { comment: 'mentionSetsBefore' }).toArray();
    const added = sets.flatMap(entriesOf);
    await this.lists.add(added);
    await retryTransient(() => this.collection.deleteMany({ _id: { $in: ids }, $or: sets.map((s) => ({ _id: s._id, revision: { $lte: s.revision } })) }));
    await insertManyIgnoringDuplicates(this.collection, sets);
    const kept = new Set(added.map((e) => e._id));
    const replaced = before.filter((old) => sets.some((s) => s._id === old._id && old.revision <= s.revision));
    await this.lists.remove(replaced.flatMap(entriesOf).map((e) => e._id).filter((key) => !kept.has(key)));
  }

  /** A page of the reviews under one mention key: one range read of its entries, one `$in` read of their sets. */
  listPage(tenantId: string, key: string, first: number, afterKey: string | null): Promise<ListPage<string>> {
    return this.lists.readPage(mentionList(tenantId, key), afterKey, first, 'listMentions', async (entries) => {
      const sets = await this.collection
        .find({ _id: { $in: [...new Set(entries.map((e) => e.ref))] }, tenantId }, { projection: { keys: 1, analyzedAt: 1 }, comment: 'mentionSetsOfPage' })
        .toArray();
      const byId = new Map(sets.map((s) => [s._id, s]));
      return entries.map((e) => {
        const set = byId.get(e.ref);
        const current = set !== undefined && set.keys.includes(key) && e.at !== undefined && set.analyzedAt.getTime() === e.at.getTime();
        return current ? e.ref : null;
      });
    });
  }
}
