import type { Collection } from 'mongodb';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';

/**
 * One document per (mention key, review): written by insert and delete only, never by a
 * read-modify-write, so concurrent workers cannot lose each other's entries on any server.
 * (FerretDB 1.24 scans the collection for every update, replace and delete, even by `_id`;
 * inserts and `_id` reads are point operations.)
 */
export interface MentionDocument {
  _id: string;
  tenantId: string;
  key: string;
  reviewId: string;
  analyzedAt: Date;
}

export interface MentionCursor { analyzedAt: Date; id: string }

const mentionId = (key: string, reviewId: string) => `${key}|${reviewId}`;

export class MentionRepository {
  readonly collection: Collection<MentionDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<MentionDocument>('mentions');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, key: 1, analyzedAt: -1, _id: -1 }, { name: 'tenant_key_newest' });
  }

  /** Inserts mentions in one call; ones already there stay as they are. */
  async addMany(mentions: Array<Omit<MentionDocument, '_id'>>): Promise<void> {
    await insertManyIgnoringDuplicates(this.collection, mentions.map((m) => ({ _id: mentionId(m.key, m.reviewId), ...m })));
  }

  /** Deletes mentions in one `$in` call (each delete scans on FerretDB, so one beats many). */
  async removeMany(mentions: Array<{ key: string; reviewId: string }>): Promise<void> {
    if (mentions.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: mentions.map((m) => mentionId(m.key, m.reviewId)) } }));
  }

  /** Newest-analysed-first page of review ids under one mention key (a scan on FerretDB: pages stay bounded). */
  async listPage(tenantId: string, key: string, limit: number, after: MentionCursor | null): Promise<MentionDocument[]> {
    const filter = after
      ? { tenantId, key, $or: [{ analyzedAt: { $lt: after.analyzedAt } }, { analyzedAt: after.analyzedAt, _id: { $lt: after.id } }] }
      : { tenantId, key };
    return this.collection.find(filter).sort({ analyzedAt: -1, _id: -1 }).limit(limit).toArray();
  }
}
