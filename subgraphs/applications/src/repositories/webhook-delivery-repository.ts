import type { Collection } from 'mongodb';
import { listKey, listPageFilter, textPart, timePart } from '../../../../lib/list-key.js';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { WebhookAttemptDocument, WebhookDeliveryDocument, WebhookQueueDocument } from '../models/webhook-delivery.js';

/** A webhook's delivery log, newest attempt first. */
export function attemptList(tenantId: string, webhookId: string): { prefix: string; direction: -1; order: string } {
  return { prefix: listKey('attempts', textPart(tenantId), textPart(webhookId)), direction: -1, order: 'NEWEST' };
}

export const attemptKey = (a: Pick<WebhookAttemptDocument, 'tenantId' | 'webhookId' | 'attemptedAt' | 'deliveryId' | 'attempt'>) =>
  listKey(attemptList(a.tenantId, a.webhookId).prefix, timePart(a.attemptedAt), a.deliveryId, String(a.attempt).padStart(3, '0'));

/** Deliveries (by `_id`), the queue of those still to attempt, and the attempts log (keyed by its list key). */
export class WebhookDeliveryRepository {
  readonly deliveries: Collection<WebhookDeliveryDocument>;
  readonly queue: Collection<WebhookQueueDocument>;
  readonly attempts: Collection<WebhookAttemptDocument>;

  constructor(private readonly database: Database) {
    this.deliveries = database.db.collection<WebhookDeliveryDocument>('webhook_deliveries');
    this.queue = database.db.collection<WebhookQueueDocument>('webhook_queue');
    this.attempts = database.db.collection<WebhookAttemptDocument>('webhook_attempts');
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
    await insertManyIgnoringDuplicates(this.queue, queued.map((d) => ({ _id: d._id, tenantId: d.tenantId, webhookId: d.webhookId, attempts: 0, dueAt: now })));
    return queued.length;
  }

  /**
   * Queue entries due by `now`, soonest first, of webhooks other than `skip` (those already at their
   * limit of attempts in flight, so a backlog of one cannot hide the others' entries). A scan of the
   * queue, which holds only unfinished deliveries.
   */
  due(now: Date, limit: number, skip: readonly string[] = []): Promise<WebhookQueueDocument[]> {
    const filter = skip.length > 0 ? { dueAt: { $lte: now }, webhookId: { $nin: [...skip] } } : { dueAt: { $lte: now } };
    return this.queue.find(filter, { sort: { dueAt: 1 }, limit, comment: 'webhookQueueDue' }).toArray();
  }

  /** Drops every queued delivery of a webhook (deleted, or disabled after sustained failure). */
  async dropQueued(tenantId: string, webhookId: string): Promise<void> {
    await retryTransient(() => this.queue.deleteMany({ tenantId, webhookId }, { comment: 'webhookQueueDrop' }));
  }

  findDeliveries(tenantId: string, ids: readonly string[]): Promise<Map<string, WebhookDeliveryDocument>> {
    return findByIds(this.database, this.deliveries, tenantId, ids);
  }

  /** Moves an entry's due time (a lease while attempting, or the next retry). */
  async reschedule(entry: WebhookQueueDocument, attempts: number, dueAt: Date): Promise<void> {
    await retryTransient(() => this.queue.updateOne({ _id: entry._id }, { $set: { attempts, dueAt } }));
  }

  async dequeue(id: string): Promise<void> {
    await retryTransient(() => this.queue.deleteOne({ _id: id }));
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
}
