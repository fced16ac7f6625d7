import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { retryTransient, type Database } from '../../../../lib/mongo.js';
import type { ReviewStatus, ReviewVisibilityDocument, StatusChange } from '../models/review-visibility.js';

/** Reviews' moderation status as learned from the bus, one document per review under its id. */
export class ReviewVisibilityRepository {
  readonly collection: Collection<ReviewVisibilityDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<ReviewVisibilityDocument>('review_visibility');
  }

  /**
   * Stores each change unless a change with the same or a higher number is stored: an update that
   * matches only a lower number, or an insert that meets the stored one on `_id` and loses.
   */
  async record(changes: readonly StatusChange[]): Promise<void> {
    if (changes.length === 0) return;
    try {
      await retryTransient(() => this.collection.bulkWrite(changes.map((c) => ({
        updateOne: {
          filter: { _id: c.reviewId, tenantId: c.tenantId, moderation: { $lt: c.moderation } },
          update: { $set: { status: c.status, moderation: c.moderation } },
          upsert: true,
        },
      })), { ordered: false, comment: 'recordReviewStatus' }));
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown[] | unknown }).writeErrors;
      const all = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (all.length === 0 ? !isDuplicateKeyError(error) : !all.every(isDuplicateKeyError)) throw error;
    }
  }

  /** The status of each review (PUBLISHED when nothing was announced: a review from before moderation). */
  async statusesOf(tenantId: string, ids: readonly string[]): Promise<Map<string, ReviewStatus>> {
    const unique = [...new Set(ids)];
    const statuses = new Map<string, ReviewStatus>(unique.map((id) => [id, 'PUBLISHED']));
    if (unique.length === 0) return statuses;
    const docs = await this.collection.find({ _id: { $in: unique }, tenantId }, { projection: { status: 1 }, comment: 'reviewStatuses' }).toArray();
    for (const doc of docs) statuses.set(doc._id, doc.status);
    return statuses;
  }
}
