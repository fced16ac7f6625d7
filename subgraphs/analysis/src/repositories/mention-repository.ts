import type { Collection } from 'mongodb';
import { backfillListEntries, ListEntries, type ListEntryDocument, type ListPage } from '../../../../lib/list-entries.js';
import { listKey, textPart, timePart } from '../../../../lib/list-key.js';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { ReviewVisibilityRepository } from './review-visibility-repository.js';

/**
 * The mention index behind `reviewsMentioning`: one small document per review holding the mention
 * keys of its current analysis, and one list entry per key (`mn|tenant|key|analyzedAt|review`,
 * lib/list-key.ts) so that a page is one `_id` range read. The set is the truth: a page keeps only
 * entries its review's current set still holds, so an entry left by a crash or a race never shows.
 *
 * Each key has two lists: every review (`mn|…`, for keys that may see held reviews) and published
 * reviews only (`mp|…`, for keys that may only read). A review's published entries are written while
 * its status (learned from the bus, ReviewVisibilityRepository) is PUBLISHED and removed when it is
 * held, so a read-only page stays one range read of entries that are nearly all shown; a page still
 * checks each review's status, so an entry a race leaves behind costs a short page, never a held review.
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


/** Who a list is for: `all` reviews (held ones too) or `published` ones only. */
export type MentionAudience = 'all' | 'published';

/** The list of reviews under one mention key, newest analysed first. */
export function mentionList(tenantId: string, key: string, audience: MentionAudience = 'all'): { prefix: string; direction: -1; order: string } {
  return { prefix: listKey(audience === 'all' ? 'mn' : 'mp', textPart(tenantId), textPart(key)), direction: -1, order: 'NEWEST_ANALYSED' };
}

function entriesOf(set: MentionSetDocument, audience: MentionAudience = 'all'): ListEntryDocument[] {
  return set.keys.map((key) => ({
    _id: listKey(mentionList(set.tenantId, key, audience).prefix, timePart(set.analyzedAt), set._id),
    tenantId: set.tenantId,
    ref: set._id,
    at: set.analyzedAt,
  }));
}

/** A set's entries in both lists, or in the full list alone when its review is held. */
function entriesFor(set: MentionSetDocument, published: ReadonlySet<string>): ListEntryDocument[] {
  return published.has(set._id) ? [...entriesOf(set), ...entriesOf(set, 'published')] : entriesOf(set);
}

export class MentionRepository {
  readonly collection: Collection<MentionSetDocument>;
  readonly lists: ListEntries;
  /** Reviews' moderation status, which decides whether their entries are in the published lists. */
  readonly visibility: ReviewVisibilityRepository;

  constructor(database: Database) {
    this.collection = database.db.collection<MentionSetDocument>('mention_sets');
    this.lists = new ListEntries(database.db, 'mention_entries');
    this.visibility = new ReviewVisibilityRepository(database);
  }

  async ensureIndexes(): Promise<void> {
    await backfillListEntries(this.lists, 'mention_sets', this.collection, (set) => entriesOf(set));
    // Sets stored before the published lists existed: their reviews had no status, so they are published.
    await backfillListEntries(this.lists, 'mention_sets_published', this.collection, (set) => entriesOf(set, 'published'));
  }

  /** Stores the entries of first results (in the published lists too for `published` reviews), then their sets in one call (sets already there stay as they are). */
  async addFirst(sets: MentionSetDocument[], published: ReadonlySet<string> = new Set()): Promise<void> {
    await this.lists.add(sets.flatMap((set) => entriesFor(set, published)));
    await insertManyIgnoringDuplicates(this.collection, sets);
  }

  /**
   * Puts the stored sets of reviews into the published lists or takes them out, as each review's
   * status now says: after a status change, and after a set was written while the status moved.
   */
  async applyStatuses(tenantId: string, statuses: ReadonlyMap<string, string>): Promise<void> {
    if (statuses.size === 0) return;
    const sets = await this.collection.find({ _id: { $in: [...statuses.keys()] }, tenantId }, { comment: 'mentionSetsOfStatusChange' }).toArray();
    const shown = sets.filter((set) => statuses.get(set._id) === 'PUBLISHED');
    const held = sets.filter((set) => statuses.get(set._id) !== 'PUBLISHED');
    await this.lists.add(shown.flatMap((set) => entriesOf(set, 'published')));
    await this.lists.remove(held.flatMap((set) => entriesOf(set, 'published')).map((e) => e._id));
  }

  /**
   * Replaces reviews' keys unless a newer revision's keys are already stored: reads the stored sets,
   * adds the new entries, deletes the older sets in one call and inserts the new ones in another (an
   * insert that meets a set still there means a newer revision got there first, and it stays), then
   * removes the entries of the sets replaced. Entries a crash leaves behind are skipped when read.
   */
  async replaceMany(sets: MentionSetDocument[], published: ReadonlySet<string> = new Set()): Promise<void> {
    if (sets.length === 0) return;
    const ids = [...new Set(sets.map((s) => s._id))];
    const before = await this.collection.find({ _id: { $in: ids } }, { comment: 'mentionSetsBefore' }).toArray();
    const added = sets.flatMap((set) => entriesFor(set, published));
    await this.lists.add(added);
    await retryTransient(() => this.collection.deleteMany({ _id: { $in: ids }, $or: sets.map((s) => ({ _id: s._id, revision: { $lte: s.revision } })) }));
    await insertManyIgnoringDuplicates(this.collection, sets);
    const kept = new Set(added.map((e) => e._id));
    const replaced = before.filter((old) => sets.some((s) => s._id === old._id && old.revision <= s.revision));
    const old = replaced.flatMap((set) => [...entriesOf(set), ...entriesOf(set, 'published')]);
    await this.lists.remove(old.map((e) => e._id).filter((key) => !kept.has(key)));
  }

  /**
   * A page of the reviews under one mention key for an audience: one range read of its entries, one
   * `$in` read of their sets and, for the published list, one `$in` read of their statuses.
   */
  listPage(tenantId: string, key: string, first: number, afterKey: string | null, audience: MentionAudience = 'all'): Promise<ListPage<string>> {
    return this.lists.readPage(mentionList(tenantId, key, audience), afterKey, first, audience === 'all' ? 'listMentions' : 'listPublishedMentions', async (entries) => {
      const ids = [...new Set(entries.map((e) => e.ref))];
      const [sets, statuses] = await Promise.all([
        this.collection.find({ _id: { $in: ids }, tenantId }, { projection: { keys: 1, analyzedAt: 1 }, comment: 'mentionSetsOfPage' }).toArray(),
        audience === 'published' ? this.visibility.statusesOf(tenantId, ids) : null,
      ]);
      const byId = new Map(sets.map((s) => [s._id, s]));
      return entries.map((e) => {
        const set = byId.get(e.ref);
        const current = set !== undefined && set.keys.includes(key) && e.at !== undefined && set.analyzedAt.getTime() === e.at.getTime();
        const shown = statuses === null || statuses.get(e.ref) === 'PUBLISHED';
        return current && shown ? e.ref : null;
      });
    });
  }
}
