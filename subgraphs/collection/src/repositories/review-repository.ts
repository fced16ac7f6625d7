import type { Collection } from 'mongodb';
import { backfillListEntries, ListEntries, type ListPage } from '../../../../lib/list-entries.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { reviewListEntries, type KeyedList } from '../models/lists.js';
import type { ReviewDocument } from '../models/review.js';


export class ReviewRepository {
  readonly collection: Collection<ReviewDocument>;
  /** The reviews' entries in the lists of models/lists.ts, written with the reviews. */
  readonly lists: ListEntries;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ReviewDocument>('reviews');
    this.lists = new ListEntries(database.db, 'list_entries');
  }

  async ensureIndexes(): Promise<void> {
    await backfillListEntries(this.lists, 'reviews', this.collection, reviewListEntries);
  }

  /**
   * Inserts new reviews; returns the ids that already existed (same source + externalId), untouched.
   * Their list entries go first, so a crash between the two writes leaves an entry without its
   * review (skipped when read), never a stored review missing from its lists.
   */
  async insertNew(reviews: ReviewDocument[]): Promise<Set<string>> {
    await this.lists.add(reviews.flatMap(reviewListEntries));
    const duplicates = await insertManyIgnoringDuplicates(this.collection, reviews);
    return new Set([...duplicates].map((index) => reviews[index]!._id));
  }

  /**
   * Takes out the list entries insertNew wrote for resubmissions at keys their stored reviews do not
   * have (a resubmission without `createdAt` is dated now), so resending a review leaves nothing
   * behind; then writes the stored reviews' own entries again, in case an edit racing this one had
   * just written one of the keys taken out.
   */
  async removeResubmissionEntries(tenantId: string, resubmitted: readonly ReviewDocument[]): Promise<void> {
    if (resubmitted.length === 0) return;
    const ids = resubmitted.map((doc) => doc._id);
    const own = new Set([...(await this.findByIds(tenantId, ids)).values()].flatMap(reviewListEntries).map((e) => e._id));
    const stray = resubmitted.flatMap(reviewListEntries).map((e) => e._id).filter((key) => !own.has(key));
    if (stray.length === 0) return;
    await this.lists.remove(stray);
    await this.lists.add([...(await this.findByIds(tenantId, ids)).values()].flatMap(reviewListEntries));
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, ReviewDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** A page of a product's reviews (models/lists.ts): one range read of its entries, one `$in` read of the reviews. */
  listPage(tenantId: string, list: KeyedList, first: number, afterKey: string | null): Promise<ListPage<ReviewDocument>> {
    return this.lists.readPage(list, afterKey, first, 'listReviews', async (entries) => {
      const found = await this.findByIds(tenantId, entries.map((e) => e.ref));
      // skipped: an entry whose review is gone or never got stored, or one written for a resubmission
      // of a stored review (its key is not where the stored review's time and rating put it)
      return entries.map((e) => {
        const review = found.get(e.ref);
        return review && reviewListEntries(review).some((own) => own._id === e._id) ? review : null;
      });
    });
  }

  /** Deletes reviews (one `$in` delete) and their list entries (a read of the reviews, then one delete). */
  async deleteByIds(tenantId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.findByIds(tenantId, ids);
    await retryTransient(() => this.collection.deleteMany({ _id: { $in: [...ids] }, tenantId }));
    await this.lists.remove([...found.values()].flatMap(reviewListEntries).map((e) => e._id));
  }
}
