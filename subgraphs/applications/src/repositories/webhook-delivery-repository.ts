import type { Collection } from 'mongodb';
import { listKey, listPageFilter, textPart, timePart } from '../../../../lib/list-key.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { WebhookAttemptDocument, WebhookDeliveryDocument, WebhookQueueDocument } from '../models/webhook-delivery.js';
import { dueEntry, laneId, lanePrefix, LANES_BACKFILL_MARKER, LANES_RANGE, type WebhookDueDocument, type WebhookLaneDocument } from '../models/webhook-due.js';

/**
 * A place in a lane whose queue entry is missing or names another place is dropped once it is this
 * old: younger, it may belong to a step still under way (a place is written before its entry).
 */
const LEFTOVER_PLACE_MS = 10 * 60_000;
const MAX_LANES = 10_000;

/** A webhook's delivery log, newest attempt first. */
export function attemptList(tenantId: string, webhookId: string): { prefix: string; direction: -1; order: string } {
  return { prefix: listKey('attempts', textPart(tenantId), textPart(webhookId)), direction: -1, order: 'NEWEST' };
}

export const attemptKey = (a: Pick<WebhookAttemptDocument, 'tenantId' | 'webhookId' | 'attemptedAt' | 'deliveryId' | 'attempt'>) =>
  listKey(attemptList(a.tenantId, a.webhookId).prefix, timePart(a.attemptedAt), a.deliveryId, String(a.attempt).padStart(3, '0'));

/**
 * Deliveries (by `_id`), the queue of those still to attempt (by delivery, with each entry's place in
 * its webhook's lane of due times), and the attempts log (keyed by its list key). Every read and
 * delete goes by `_id`: point, `$in`, or a range with its sort and limit.
 */
export class WebhookDeliveryRepository {
  readonly deliveries: Collection<WebhookDeliveryDocument>;
  readonly queue: Collection<WebhookQueueDocument>;
  readonly attempts: Collection<WebhookAttemptDocument>;
  readonly places: Collection<WebhookDueDocument>;
  readonly lanes: Collection<WebhookLaneDocument>;
  private backfilled: Promise<void> | null = null;

  constructor(private readonly database: Database) {
    this.deliveries = database.db.collection<WebhookDeliveryDocument>('webhook_deliveries');
    this.queue = database.db.collection<WebhookQueueDocument>('webhook_queue');
    this.attempts = database.db.collection<WebhookAttemptDocument>('webhook_attempts');
    this.places = database.db.collection<WebhookDueDocument>('webhook_due');
    this.lanes = database.db.collection<WebhookLaneDocument>('webhook_lanes');
  }

  /**
   * Stores new deliveries and queues them; a delivery already stored (a redelivered event) is queued
   * again only while no attempt was made, so a finished delivery is not sent twice.
   */
  async enqueue(deliveries: WebhookDeliveryDocument[], now: Date): Promise<number> {
    if (deliveries.length === 0) return 0;
    const duplicates = await insertManyIgnoringDuplicates(this.deliveries, deliveries);
    const repeated = deliveries.filter((_, i) => duplicates.has(i));
    const stored = new Map<string, WebhookDeliveryDocument>();
    for (const tenantId of new Set(repeated.map((d) => d.tenantId))) {
      for (const [id, doc] of await findByIds(this.database, this.deliveries, tenantId, repeated.filter((d) => d.tenantId === tenantId).map((d) => d._id))) stored.set(id, doc);
    }
    const queued = deliveries.filter((d, i) => !duplicates.has(i) || (stored.get(d._id)?.status === 'PENDING' && stored.get(d._id)?.attempts === 0));
    const places = queued.map((d) => dueEntry(d.tenantId, d.webhookId, d._id, now, now));
    // The place first, then the entry that names it, then the lane woken: a poll that finds a lane
    // empty puts it to sleep and looks again (due()), so no entry waits in a sleeping lane.
    await insertManyIgnoringDuplicates(this.places, places);
    await insertManyIgnoringDuplicates(this.queue, queued.map((d, i) => ({ _id: d._id, tenantId: d.tenantId, webhookId: d.webhookId, attempts: 0, dueAt: now, dueKey: places[i]!._id })));
    await this.wake(queued);
    return queued.length;
  }

  /**
   * Queue entries due by `now`, soonest first, of webhooks other than `skip` (those already at their
   * limit of attempts in flight, so a backlog of one cannot hide the others' entries): one read of the
   * lanes, one `_id` range read of each active lane's first `limit` places, one `$in` read of their
   * entries. What it reads is what is due (and the lanes), never the whole queue.
   */
  async due(now: Date, limit: number, skip: readonly string[] = []): Promise<WebhookQueueDocument[]> {
    await (this.backfilled ??= this.backfill().catch((error) => {
      this.backfilled = null;
      throw error;
    }));
    const skipped = new Set(skip);
    const lanes = (await retryTransient(() => this.lanes.find({ _id: LANES_RANGE }, { sort: { _id: 1 }, limit: MAX_LANES, comment: 'webhookLanes' }).toArray()))
      .filter((lane) => lane.active && !skipped.has(lane.webhookId));
    const heads = await Promise.all(lanes.map((lane) => this.laneHead(lane, limit)));
    await Promise.all(lanes.filter((_, i) => heads[i]!.length === 0).map((lane) => this.sleep(lane)));
    const places = heads.flat().filter((p) => p.dueAt.getTime() <= now.getTime());
    if (places.length === 0) return [];
    const entries = new Map((await retryTransient(() => this.queue.find({ _id: { $in: [...new Set(places.map((p) => p.deliveryId))] } }, { comment: 'webhookQueueDue' }).toArray())).map((e) => [e._id, e]));
    const due: WebhookQueueDocument[] = [];
    const leftovers: string[] = [];
    for (const place of places) {
      const entry = entries.get(place.deliveryId);
      if (entry && entry.dueKey === place._id) due.push(entry);
      else if (now.getTime() - place.createdAt.getTime() > LEFTOVER_PLACE_MS) leftovers.push(place._id);
    }
    if (leftovers.length > 0) await retryTransient(() => this.places.deleteMany({ _id: { $in: leftovers } }, { comment: 'webhookLeftoverPlaces' }));
    return due.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()).slice(0, limit);
  }

  /** Drops every queued delivery of a webhook (deleted, or disabled after sustained failure): its lane, page by page. */
  async dropQueued(tenantId: string, webhookId: string): Promise<void> {
    for (;;) {
      const page = await retryTransient(() => this.places.find(listPageFilter<WebhookDueDocument>(lanePrefix(tenantId, webhookId), 1, null), { sort: { _id: 1 }, limit: 1_000, comment: 'webhookQueueDrop' }).toArray());
      if (page.length === 0) return;
      await retryTransient(() => this.queue.deleteMany({ _id: { $in: [...new Set(page.map((p) => p.deliveryId))] }, tenantId, webhookId }, { comment: 'webhookQueueDrop' }));
      await retryTransient(() => this.places.deleteMany({ _id: { $in: page.map((p) => p._id) } }, { comment: 'webhookQueueDrop' }));
    }
  }

  findDeliveries(tenantId: string, ids: readonly string[]): Promise<Map<string, WebhookDeliveryDocument>> {
    return findByIds(this.database, this.deliveries, tenantId, ids);
  }

  /**
   * Moves an entry's due time (a lease while attempting, or the next retry): the new place first, then
   * the entry names it, then its old place goes, so the entry always has a place to be found by.
   */
  async reschedule(entry: WebhookQueueDocument, attempts: number, dueAt: Date): Promise<void> {
    const place = dueEntry(entry.tenantId, entry.webhookId, entry._id, dueAt, new Date());
    await insertManyIgnoringDuplicates(this.places, [place]);
    const before = await retryTransient(() => this.queue.findOneAndUpdate({ _id: entry._id }, { $set: { attempts, dueAt, dueKey: place._id } }));
    if (before?.dueKey && before.dueKey !== place._id) await retryTransient(() => this.places.deleteOne({ _id: before.dueKey! }));
  }

  /** Removes an entry, then its place. */
  async dequeue(id: string): Promise<void> {
    const removed = await retryTransient(() => this.queue.findOneAndDelete({ _id: id }));
    if (removed?.dueKey) await retryTransient(() => this.places.deleteOne({ _id: removed.dueKey! }));
  }

  async settle(delivery: WebhookDeliveryDocument, fields: Pick<WebhookDeliveryDocument, 'status' | 'attempts' | 'updatedAt'>): Promise<void> {
    await retryTransient(() => this.deliveries.updateOne({ _id: delivery._id }, { $set: fields }));
  }

  async recordAttempt(attempt: Omit<WebhookAttemptDocument, '_id'>): Promise<WebhookAttemptDocument> {
    const doc = { ...attempt, _id: attemptKey(attempt) };
    await insertManyIgnoringDuplicates(this.attempts, [doc]);
    return doc;
  }

  /** A page of a webhook's log: one `_id` range read of `first + 1` attempts. */
  async pageAttempts(tenantId: string, webhookId: string, afterKey: string | null, first: number): Promise<{ items: Array<{ key: string; item: WebhookAttemptDocument }>; endKey: string | null; hasNextPage: boolean }> {
    const list = attemptList(tenantId, webhookId);
    const docs = await this.attempts.find(listPageFilter<WebhookAttemptDocument>(list.prefix, list.direction, afterKey), { sort: { _id: list.direction }, limit: first + 1, comment: 'webhookAttemptsPage' }).toArray();
    const page = docs.slice(0, first).filter((d) => d.tenantId === tenantId);
    return { items: page.map((d) => ({ key: d._id, item: d })), endKey: docs.slice(0, first).at(-1)?._id ?? null, hasNextPage: docs.length > first };
  }

  /** The first `limit` places of a lane, soonest first: one `_id` range read with its sort and limit. */
  private laneHead(lane: WebhookLaneDocument, limit: number): Promise<WebhookDueDocument[]> {
    return retryTransient(() => this.places.find(listPageFilter<WebhookDueDocument>(lanePrefix(lane.tenantId, lane.webhookId), 1, null), { sort: { _id: 1 }, limit, comment: 'webhookLaneHead' }).toArray());
  }

  private async wake(entries: ReadonlyArray<Pick<WebhookQueueDocument, 'tenantId' | 'webhookId'>>): Promise<void> {
    const lanes = new Map(entries.map((e) => [laneId(e.tenantId, e.webhookId), e]));
    if (lanes.size === 0) return;
    await retryTransient(() => this.lanes.bulkWrite([...lanes].map(([_id, e]) => ({ updateOne: { filter: { _id }, update: { $set: { tenantId: e.tenantId, webhookId: e.webhookId, active: true } }, upsert: true } })), { ordered: false }));
  }

  /** Puts an empty lane to sleep, then looks again: a place written meanwhile wakes it back. */
  private async sleep(lane: WebhookLaneDocument): Promise<void> {
    await retryTransient(() => this.lanes.updateOne({ _id: lane._id }, { $set: { active: false } }));
    if ((await this.laneHead(lane, 1)).length > 0) await this.wake([lane]);
  }

  /** Queue entries stored before lanes existed get their places: one read of the queue, once per store. */
  private async backfill(): Promise<void> {
    if (await this.lanes.findOne({ _id: LANES_BACKFILL_MARKER }, { projection: { _id: 1 } })) return;
    for await (const entry of this.queue.find({ dueKey: { $exists: false } }, { comment: 'backfillWebhookLanes' })) {
      const place = dueEntry(entry.tenantId, entry.webhookId, entry._id, entry.dueAt, new Date());
      await insertManyIgnoringDuplicates(this.places, [place]);
      await retryTransient(() => this.queue.updateOne({ _id: entry._id, dueKey: { $exists: false } }, { $set: { dueKey: place._id } }));
      await this.wake([entry]);
    }
    await insertManyIgnoringDuplicates(this.lanes, [{ _id: LANES_BACKFILL_MARKER, tenantId: '', webhookId: '', active: false }]);
  }
}
