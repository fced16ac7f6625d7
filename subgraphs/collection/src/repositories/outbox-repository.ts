import { randomBytes } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { PublishItem } from '../../../../lib/bus/index.js';
import { listKey, timePart } from '../../../../lib/list-key.js';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import { submittedEventId } from '../models/review.js';

/** Schedule documents (batches and markers) per read of the schedule. */
const SCHEDULE_PAGE = 100;
const SCHEDULE = 'ob';
const scheduleId = (at: Date) => listKey(SCHEDULE, timePart(at), randomBytes(12).toString('hex'));
/** Present once entries stored before the schedule existed are on it (outside the schedule's range). */
const SCHEDULE_BACKFILL_MARKER = `${SCHEDULE}-backfilled`;

/** An event stored before its review, removed once the bus acknowledged it: the sweeper's whole worklist. */
export interface OutboxDocument {
  _id: string;
  tenantId: string;
  reviewId: string;
  createdAt: Date;
  /** The event itself, when it cannot be rebuilt from the review (a deletion). */
  event?: PublishItem;
  /** Set for an edit's `review.updated`: the revision it made (services/review-edits.ts finishes it). */
  revision?: number;
}

/**
 * The `review.submitted` events of one intake batch, pending as one outbox document (one insert
 * and one delete per batch instead of one of each per review), keyed on the schedule
 * (`ob|<createdAt>|<random>`). A stale one is first turned into one entry per review (see `listStale`).
 */
export interface SubmittedBatchDocument {
  _id: string;
  tenantId: string;
  /** The review ids, comma-separated: FerretDB reads and deletes a long array many times slower than a string. */
  submittedReviews: string;
  createdAt: Date;
}

/**
 * The schedule of the outbox (collection `outbox_schedule`): entries are keyed by their event (so an
 * entry written twice is stored once, and a request removes what it published by event id), and each
 * `add` first writes a marker keyed `ob|<createdAt>|<random>` naming them. The sweeper reads the
 * stale part of the schedule and of the batches as `_id` ranges, oldest first, and the entries by
 * `$in`, never the whole outbox; a marker goes once none of its entries is left.
 */
export interface OutboxMarkerDocument {
  _id: string;
  /** The ids of the entries it names, as JSON (a string: FerretDB reads a long array far slower). */
  pending: string;
  createdAt: Date;
  /** Found empty while young and moved to be looked at once more (an insert of its entries could still land). */
  recheck?: true;
}

/** What one read of the schedule found: the entries due, and the markers to settle after the sweep. */
export interface StaleOutbox { entries: OutboxDocument[]; markers: Array<{ id: string; entryIds: string[] }> }

/** A batch entry as the request that wrote it holds it. */
export interface PendingSubmittedBatch { id: string; tenantId: string; reviewIds: readonly string[]; createdAt: Date }

export class OutboxRepository {
  readonly collection: Collection<OutboxDocument>;
  private readonly batches: Collection<SubmittedBatchDocument>;
  private readonly markers: Collection<OutboxMarkerDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<OutboxDocument>('outbox');
    this.batches = database.db.collection<SubmittedBatchDocument>('outbox');
    this.markers = database.db.collection<OutboxMarkerDocument>('outbox_schedule');
  }

  /** Puts entries stored before the schedule existed on it: one read of the (small) outbox, once per store. */
  async ensureIndexes(): Promise<void> {
    if (await this.markers.findOne({ _id: SCHEDULE_BACKFILL_MARKER }, { projection: { _id: 1 } })) return;
    const unscheduled: string[] = [];
    for await (const doc of this.collection.find({}, { projection: { _id: 1 }, comment: 'backfillOutboxSchedule' })) {
      if (!doc._id.startsWith(`${SCHEDULE}|`)) unscheduled.push(doc._id);
    }
    for (let i = 0; i < unscheduled.length; i += 500) {
      await insertManyIgnoringDuplicates(this.markers, [{ _id: scheduleId(new Date(0)), pending: JSON.stringify(unscheduled.slice(i, i + 500)), createdAt: new Date(0) }]);
    }
    await insertManyIgnoringDuplicates(this.markers, [{ _id: SCHEDULE_BACKFILL_MARKER, pending: '[]', createdAt: new Date(0) }]);
  }

  /** Records pending events, after their marker; an entry already there is the same event, so duplicates are ignored. */
  async add(entries: OutboxDocument[]): Promise<void> {
    await this.addScheduled(entries);
  }

  private async addScheduled(entries: readonly OutboxDocument[]): Promise<{ id: string; entryIds: string[] } | null> {
    if (entries.length === 0) return null;
    const createdAt = new Date(Math.min(...entries.map((e) => e.createdAt.getTime())));
    const marker: OutboxMarkerDocument = { _id: scheduleId(createdAt), pending: JSON.stringify(entries.map((e) => e._id)), createdAt };
    await insertManyIgnoringDuplicates(this.markers, [marker]);
    await insertManyIgnoringDuplicates(this.collection, [...entries]);
    return { id: marker._id, entryIds: entries.map((e) => e._id) };
  }

  /** One `$in` delete, served by the `_id` index. */
  async remove(ids: string[]): Promise<void> {
    if (ids.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: ids } }));
  }

  /** Records the `review.submitted` events of `reviewIds` as pending, in one document on the schedule. */
  async addSubmittedBatch(tenantId: string, reviewIds: readonly string[], createdAt: Date): Promise<PendingSubmittedBatch> {
    const batch = { id: scheduleId(createdAt), tenantId, reviewIds: [...reviewIds], createdAt };
    if (batch.reviewIds.length > 0) await insertManyIgnoringDuplicates(this.batches, [{ _id: batch.id, tenantId, submittedReviews: batch.reviewIds.join(','), createdAt }]);
    return batch;
  }

  /**
   * Settles a batch entry after its publish: gone once every event is among `publishedIds`; kept for
   * the sweeper when none is; otherwise the reviews whose event is missing get entries of their own
   * (written first), so the sweeper republishes only those.
   */
  async settleSubmittedBatch(batch: PendingSubmittedBatch, publishedIds: readonly string[]): Promise<void> {
    const published = new Set(publishedIds);
    const left = batch.reviewIds.filter((id) => !published.has(submittedEventId(id)));
    if (left.length === batch.reviewIds.length) return;
    await this.add(left.map((reviewId) => ({ _id: submittedEventId(reviewId), tenantId: batch.tenantId, reviewId, createdAt: batch.createdAt })));
    await retryTransient(() => this.batches.deleteOne({ _id: batch.id }));
  }

  /**
   * Entries older than `olderThan`, across tenants, oldest first (up to about `limit`): one `_id`
   * range read of the schedule's stale part and one `$in` read of what its markers name. Stale batch
   * entries (their request died or could not publish) are first split into one entry per review,
   * written before the batch entry is deleted, so a crash in between leaves both, and the next sweep
   * splits it again. A marker found empty is deleted once older than `dropBefore`; younger, it is
   * moved to be looked at once more then, since an insert of its entries could still land.
   */
  async listStale(olderThan: Date, limit: number, dropBefore: Date = olderThan): Promise<StaleOutbox> {
    const range = { _id: { $gt: listKey(SCHEDULE, ''), $lt: listKey(SCHEDULE, timePart(olderThan)) } };
    const batches = await retryTransient(() => this.batches.find(range, { sort: { _id: 1 }, limit: SCHEDULE_PAGE, comment: 'staleSubmittedBatches' }).toArray());
    const markers = await retryTransient(() => this.markers.find(range, { sort: { _id: 1 }, limit: SCHEDULE_PAGE, comment: 'staleOutbox' }).toArray());
    const scheduled: Array<OutboxMarkerDocument | SubmittedBatchDocument> = [...batches, ...markers];
    const stale: StaleOutbox = { entries: [], markers: [] };
    const listed = new Set<string>();
    const take = (entry: OutboxDocument) => {
      if (listed.has(entry._id) || stale.entries.length >= limit) return;
      listed.add(entry._id);
      stale.entries.push(entry);
    };
    const named: Array<{ marker: OutboxMarkerDocument; entryIds: string[] }> = [];
    const split = async (doc: SubmittedBatchDocument) => {
      const entries = doc.submittedReviews.split(',').map((reviewId) => ({ _id: submittedEventId(reviewId), tenantId: doc.tenantId, reviewId, createdAt: doc.createdAt }));
      const marker = await this.addScheduled(entries);
      await retryTransient(() => this.batches.deleteOne({ _id: doc._id }));
      if (marker) stale.markers.push(marker);
      entries.forEach(take);
    };
    for (const doc of scheduled) {
      if (stale.entries.length >= limit) break;
      if ('submittedReviews' in doc) {
        await split(doc);
      } else {
        named.push({ marker: doc, entryIds: JSON.parse(doc.pending) as string[] });
      }
    }
    const ids = [...new Set(named.flatMap((n) => n.entryIds))];
    const found = new Map(ids.length > 0 ? (await retryTransient(() => this.collection.find({ _id: { $in: ids } }, { comment: 'staleOutboxEntries' }).toArray())).map((e) => [e._id, e]) : []);
    for (const { marker, entryIds } of named) {
      const left = entryIds.filter((id) => found.has(id));
      if (left.length > 0) {
        stale.markers.push({ id: marker._id, entryIds });
        for (const id of left) {
          const doc = found.get(id)! as OutboxDocument | SubmittedBatchDocument;
          // a batch written before the schedule existed, named by the start's marker
          if ('submittedReviews' in doc) await split(doc);
          else take(doc);
        }
      } else if (marker.recheck || marker.createdAt.getTime() < dropBefore.getTime()) {
        await retryTransient(() => this.markers.deleteOne({ _id: marker._id }));
      } else {
        // read again once it is older than dropBefore is now
        const again = new Date(marker.createdAt.getTime() + (olderThan.getTime() - dropBefore.getTime()));
        await insertManyIgnoringDuplicates(this.markers, [{ ...marker, _id: scheduleId(again), recheck: true }]);
        await retryTransient(() => this.markers.deleteOne({ _id: marker._id }));
      }
    }
    return stale;
  }

  /** After a sweep: markers none of whose entries is left go (one `$in` read of what they name). */
  async settleMarkers(markers: StaleOutbox['markers']): Promise<void> {
    const ids = [...new Set(markers.flatMap((m) => m.entryIds))];
    if (ids.length === 0) return;
    const left = new Set((await retryTransient(() => this.collection.find({ _id: { $in: ids } }, { projection: { _id: 1 }, comment: 'outboxMarkersLeft' }).toArray())).map((e) => e._id));
    const done = markers.filter((m) => m.entryIds.every((id) => !left.has(id))).map((m) => m.id);
    if (done.length > 0) await retryTransient(() => this.markers.deleteMany({ _id: { $in: done } }));
  }
}
