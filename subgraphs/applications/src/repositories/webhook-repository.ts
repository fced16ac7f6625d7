import type { Collection } from 'mongodb';
import { GraphQLError } from 'graphql';
import { ListEntries, type ListPage } from '../../../../lib/list-entries.js';
import { listKey, textPart, timePart } from '../../../../lib/list-key.js';
import { findByIds, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { WebhookDocument, WebhookHealthDocument } from '../models/webhook.js';

/** A tenant's webhooks, oldest first. */
export function webhookList(tenantId: string): { prefix: string; direction: 1; order: string } {
  return { prefix: listKey('webhooks', textPart(tenantId)), direction: 1, order: 'OLDEST' };
}

const entryOf = (webhook: WebhookDocument) => ({ _id: listKey(webhookList(webhook.tenantId).prefix, timePart(webhook.createdAt), webhook._id), tenantId: webhook.tenantId, ref: webhook._id });

/** Webhooks (by `_id`), their delivery health, and each tenant's keyed list of them. */
export class WebhookRepository {
  readonly collection: Collection<WebhookDocument>;
  readonly health: Collection<WebhookHealthDocument>;
  readonly lists: ListEntries;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<WebhookDocument>('webhooks');
    this.health = database.db.collection<WebhookHealthDocument>('webhook_health');
    this.lists = new ListEntries(database.db, 'webhook_lists');
  }

  async create(webhook: WebhookDocument): Promise<void> {
    await retryTransient(() => this.collection.insertOne(webhook));
    await this.lists.add([entryOf(webhook)]);
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, WebhookDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** Writes `next` over the version it was made from; another write in between is a CONFLICT. */
  async replace(next: WebhookDocument): Promise<void> {
    const result = await retryTransient(() => this.collection.replaceOne({ _id: next._id, tenantId: next.tenantId, version: next.version - 1 }, next));
    if (result.matchedCount === 0) throw new GraphQLError('the webhook changed meanwhile; read it again and retry', { extensions: { code: 'CONFLICT' } });
  }

  async delete(webhook: WebhookDocument): Promise<void> {
    await retryTransient(() => this.collection.deleteOne({ _id: webhook._id, tenantId: webhook.tenantId }));
    await this.lists.remove([entryOf(webhook)._id]);
  }

  page(tenantId: string, afterKey: string | null, first: number): Promise<ListPage<WebhookDocument>> {
    return this.lists.readPage(webhookList(tenantId), afterKey, first, 'webhooksPage', async (entries) => {
      const found = await this.findByIds(tenantId, entries.map((e) => e.ref));
      return entries.map((e) => found.get(e.ref) ?? null);
    });
  }

  /** Every webhook of a tenant (at most `limit`). */
  async all(tenantId: string, limit: number): Promise<WebhookDocument[]> {
    return (await this.page(tenantId, null, limit)).items.map((i) => i.item);
  }

  findHealth(tenantId: string, ids: readonly string[]): Promise<Map<string, WebhookHealthDocument>> {
    return findByIds(this.database, this.health, tenantId, ids);
  }

  async saveHealth(health: WebhookHealthDocument): Promise<void> {
    await retryTransient(() => this.health.replaceOne({ _id: health._id }, health, { upsert: true }));
  }
}
