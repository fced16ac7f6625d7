import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { ListEntries, type ListEntryDocument, type ListPage } from '../../../../lib/list-entries.js';
import { listKey, textPart, timePart } from '../../../../lib/list-key.js';
import { findByIds, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { AlertDocument, AlertSignalDocument, AlertStatus } from '../models/alert.js';
import { coalesced } from './coalesced-reads.js';

/** The list an alert page reads: a tenant's alerts, optionally of one status and of one product, newest raised first. */
export function alertList(tenantId: string, status: AlertStatus | null, productId: string | null): { prefix: string; direction: -1; order: string } {
  return { prefix: listKey('alerts', textPart(tenantId), status ?? 'ALL', productId === null ? '*' : textPart(productId)), direction: -1, order: 'NEWEST' };
}

function entriesOf(alert: AlertDocument, statuses: ReadonlyArray<AlertStatus | null>): ListEntryDocument[] {
  return statuses.flatMap((status) => [null, alert.productId].map((productId) => ({
    _id: listKey(alertList(alert.tenantId, status, productId).prefix, timePart(alert.raisedAt), alert._id),
    tenantId: alert.tenantId, ref: alert._id,
  })));
}

/** Alerts (by `_id`), the state of each signal, and the keyed lists alerts are paged from. */
export class AlertRepository {
  readonly collection: Collection<AlertDocument>;
  readonly signals: Collection<AlertSignalDocument>;
  readonly lists: ListEntries;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<AlertDocument>('alerts');
    this.signals = database.db.collection<AlertSignalDocument>('alert_signals');
    this.lists = new ListEntries(database.db, 'alert_lists');
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, AlertDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** Signal states by id (calls in one tick share the read). */
  readonly findSignals = coalesced<AlertSignalDocument>((tenantId, ids) => findByIds(this.database, this.signals, tenantId, ids));

  /** Stores a raised alert once (its id is fixed per incarnation; a twin loses) and lists it. */
  async raise(alert: AlertDocument): Promise<void> {
    try {
      await retryTransient(() => this.collection.insertOne(alert));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const stored = (await this.collection.findOne({ _id: alert._id })) ?? alert;
    await this.lists.add(entriesOf(stored, [null, 'ACTIVE']));
  }

  async refresh(alert: AlertDocument, fields: Pick<AlertDocument, 'severity' | 'evidence' | 'updatedAt'>): Promise<void> {
    await retryTransient(() => this.collection.updateOne({ _id: alert._id, status: 'ACTIVE' }, { $set: fields }));
  }

  async resolve(alert: AlertDocument, at: Date): Promise<void> {
    const resolved: AlertDocument = { ...alert, status: 'RESOLVED', resolvedAt: at, updatedAt: at };
    await retryTransient(() => this.collection.updateOne({ _id: alert._id }, { $set: { status: 'RESOLVED', resolvedAt: at, updatedAt: at } }));
    await this.lists.add(entriesOf(resolved, ['RESOLVED']));
    await this.lists.remove(entriesOf(alert, ['ACTIVE']).map((e) => e._id));
  }

  async setSignal(signal: AlertSignalDocument): Promise<void> {
    await retryTransient(() => this.signals.replaceOne({ _id: signal._id }, signal, { upsert: true }));
  }

  /** A page of a list; entries whose alert no longer matches the list (a status changed meanwhile) are skipped. */
  page(list: ReturnType<typeof alertList>, status: AlertStatus | null, tenantId: string, afterKey: string | null, first: number): Promise<ListPage<AlertDocument>> {
    return this.lists.readPage(list, afterKey, first, 'alertsPage', async (entries) => {
      const found = await this.findByIds(tenantId, entries.map((e) => e.ref));
      return entries.map((e) => {
        const alert = found.get(e.ref);
        return alert && (status === null || alert.status === status) ? alert : null;
      });
    });
  }
}
