import type { Collection } from 'mongodb';
import { findByIds, insertIfAbsent, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { revisionId, revisionOf, type ReviewRevisionDocument } from '../models/review-revision.js';
import type { ReviewDocument } from '../models/review.js';

const PROBE = 4;

/** The revisions edits made (models/review-revision.ts), read and written by `_id` only. */
export class ReviewRevisionRepository {
  readonly collection: Collection<ReviewRevisionDocument>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ReviewRevisionDocument>('review_revisions');
  }

  async ensureIndexes(): Promise<void> {
    // Read and written by _id only.
  }

  /**
   * The newest stored revision of each review past the one its document shows (absent: the document
   * is current), probing PROBE revisions ahead per read: the review document may lag its revisions
   * (a crash, or two edits racing), never lead them.
   */
  async newerThan(tenantId: string, reviews: readonly ReviewDocument[]): Promise<Map<string, ReviewRevisionDocument>> {
    const newest = new Map<string, ReviewRevisionDocument>();
    let open = reviews.map((r) => ({ id: r._id, from: revisionOf(r) + 1 }));
    while (open.length > 0) {
      const ids = open.flatMap(({ id, from }) => Array.from({ length: PROBE }, (_, i) => revisionId(id, from + i)));
      const found = await findByIds(this.database, this.collection, tenantId, ids);
      const next: typeof open = [];
      for (const { id, from } of open) {
        let last: ReviewRevisionDocument | undefined;
        for (let i = 0; i < PROBE; i++) last = found.get(revisionId(id, from + i)) ?? last;
        if (last) newest.set(id, last);
        if (found.has(revisionId(id, from + PROBE - 1))) next.push({ id, from: from + PROBE });
      }
      open = next;
    }
    return newest;
  }

  /** Deletes every revision of these reviews (their text must go with them: deletions serve erasure requests). */
  async removeAll(tenantId: string, reviews: readonly ReviewDocument[]): Promise<void> {
    const newest = await this.newerThan(tenantId, reviews);
    const ids = reviews.flatMap((r) => {
      const last = newest.get(r._id)?.revision ?? revisionOf(r);
      return Array.from({ length: Math.max(0, last - 1) }, (_, i) => revisionId(r._id, i + 2));
    });
    if (ids.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: ids }, tenantId }, { comment: 'removeRevisions' }));
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, ReviewRevisionDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** Stores new revisions in one call; returns the indexes of those another edit made first. */
  insertMany(docs: readonly ReviewRevisionDocument[]): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(this.collection, docs);
  }

  /** Stores a new revision; false when another edit made that revision first. */
  async insert(doc: ReviewRevisionDocument): Promise<boolean> {
    return insertIfAbsent(this.collection, doc);
  }
}
