import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { listPageFilter } from '../../../../lib/list-key.js';
import { findByIds, retryTransient, type Database } from '../../../../lib/mongo.js';
import { changeFeedPrefix, changeKey, type ReviewChange, type ReviewChangeDocument } from '../models/review-change.js';
import type { ReviewDocument } from '../models/review.js';

const MAX_ATTEMPTS = 200;
const BACKFILL_MARKER = 'backfilled|review_changes';

/**
 * The tenants' change feeds (models/review-change.ts): insert-only entries whose `_id` is the
 * tenant's next sequence number, read as `_id` ranges like every keyed list.
 */
export class ChangeFeedRepository {
  readonly collection: Collection<ReviewChangeDocument>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ReviewChangeDocument>('review_changes');
  }

  /** Gives the reviews stored before the feed existed one CREATED entry each, once (a scan of the reviews, then a marker). */
  async ensureIndexes(reviews: Collection<ReviewDocument>): Promise<void> {
    const marker = this.collection as unknown as Collection<{ _id: string }>;
    if (await marker.findOne({ _id: BACKFILL_MARKER }, { projection: { _id: 1 } })) return;
    const byTenant = new Map<string, ReviewChange[]>();
    const flush = async () => {
      for (const [tenantId, changes] of byTenant) await this.append(tenantId, changes, new Date());
      byTenant.clear();
    };
    let count = 0;
    for await (const review of reviews.find({}, { projection: { _id: 1, tenantId: 1, productId: 1, revision: 1 }, comment: 'backfill review_changes' })) {
      byTenant.set(review.tenantId, [...(byTenant.get(review.tenantId) ?? []), { kind: 'CREATED', reviewId: review._id, productId: review.productId, revision: review.revision ?? 1 }]);
      if (++count % 1_000 === 0) await flush();
    }
    await flush();
    await marker.insertOne({ _id: BACKFILL_MARKER }).catch((error: unknown) => { if (!isDuplicateKeyError(error)) throw error; });
  }

  /** The tenant's newest sequence number visible now (0: none). */
  private async newestSeq(tenantId: string): Promise<number> {
    const [newest] = await retryTransient(() => this.collection.find(listPageFilter<ReviewChangeDocument>(changeFeedPrefix(tenantId), -1, null), { sort: { _id: -1 }, limit: 1, projection: { seq: 1 }, comment: 'newestChange' }).toArray());
    return newest?.seq ?? 0;
  }

  /**
   * Appends changes after the newest visible entry, in order. Writers race for sequence numbers by
   * inserting them: an ordered insert stops at the first number another writer took, and the rest is
   * appended after the new newest. An entry is recorded at least once (a retry after an unclear
   * failure may record it twice, which the feed's readers are told is harmless).
   */
  async append(tenantId: string, changes: readonly ReviewChange[], now: Date): Promise<void> {
    let rest = [...changes];
    for (let attempt = 0; rest.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`change feed of tenant ${tenantId} kept moving under concurrent writers`);
      const start = (await this.newestSeq(tenantId)) + 1;
      const docs = rest.map((change, i): ReviewChangeDocument => ({ _id: changeKey(tenantId, start + i), tenantId, seq: start + i, ...change, at: now }));
      try {
        await retryTransient(() => this.collection.insertMany(docs, { ordered: true }));
        return;
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ code?: number }> }).writeErrors;
        if (!isDuplicateKeyError(error) && !(writeErrors && writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000))) throw error;
      }
      // Which of ours got in before the number another writer took: read them back rather than trust a count.
      const found = await findByIds(this.database, this.collection, tenantId, docs.map((d) => d._id));
      const ours = (d: ReviewChangeDocument) => { const f = found.get(d._id); return f !== undefined && f.reviewId === d.reviewId && f.kind === d.kind && f.revision === d.revision && f.at.getTime() === now.getTime(); };
      rest = docs.filter((d) => !ours(d)).map(({ kind, reviewId, productId, revision }) => ({ kind, reviewId, productId, revision }));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * Math.min(attempt + 1, 10)));
    }
  }

  /** Up to `limit` entries of the tenant's feed after `afterKey`, oldest first: one `_id` range read. */
  page(tenantId: string, afterKey: string | null, limit: number): Promise<ReviewChangeDocument[]> {
    return this.collection.find(listPageFilter<ReviewChangeDocument>(changeFeedPrefix(tenantId), 1, afterKey), { sort: { _id: 1 }, limit, comment: 'reviewChanges' }).toArray();
  }
}
