import type { Collection } from 'mongodb';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';

/**
 * The mention index behind `reviewsMentioning`: one small document per review holding the mention
 * keys of its current analysis. Kept apart from the analysis document because list queries scan on
 * FerretDB 1.24 (only `_id` lookups are pushed down), and scanning these is several times cheaper
 * than scanning full analyses; one document per review keeps the write path at one insert.
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

export interface MentionCursor { analyzedAt: Date; id: string }

export class MentionRepository {
  readonly collection: Collection<MentionSetDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<MentionSetDocument>('mention_sets');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, keys: 1, analyzedAt: -1, _id: -1 }, { name: 'tenant_key_newest' });
  }

  /** Stores the keys of first results in one call; sets already there stay as they are. */
  async addFirst(sets: MentionSetDocument[]): Promise<void> {
    await insertManyIgnoringDuplicates(this.collection, sets);
  }

  /**
   * Replaces reviews' keys unless a newer revision's keys are already stored: deletes the older sets
   * in one call and inserts the new ones in another (a conditional delete scans on FerretDB, so one
   * beats many). An insert that meets a set still there means a newer revision got there first, and it stays.
   */
  async replaceMany(sets: MentionSetDocument[]): Promise<void> {
    if (sets.length === 0) return;
    await retryTransient(() => this.collection.deleteMany({ $or: sets.map((s) => ({ _id: s._id, revision: { $lte: s.revision } })) }));
    await insertManyIgnoringDuplicates(this.collection, sets);
  }

  /** Newest-analysed-first page of review ids under one mention key (a scan on FerretDB: see above). */
  async listPage(tenantId: string, key: string, limit: number, after: MentionCursor | null): Promise<Array<Pick<MentionSetDocument, '_id' | 'analyzedAt'>>> {
    const filter = after
      ? { tenantId, keys: key, $or: [{ analyzedAt: { $lt: after.analyzedAt } }, { analyzedAt: after.analyzedAt, _id: { $lt: after.id } }] }
      : { tenantId, keys: key };
    return this.collection.find(filter, { projection: { _id: 1, analyzedAt: 1 } }).sort({ analyzedAt: -1, _id: -1 }).limit(limit).toArray();
  }
}
