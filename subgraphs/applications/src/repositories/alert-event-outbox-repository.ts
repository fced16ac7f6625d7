import type { Collection } from 'mongodb';
import { insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { AlertEventType } from '../events.js';

/** An alert event recorded before its alert is written, removed once the bus acknowledged it. */
export interface AlertEventOutboxDocument {
  _id: string;
  tenantId: string;
  alertId: string;
  type: AlertEventType;
  createdAt: Date;
}

/** The small worklist of alert events not yet on the bus (scans of it stay cheap: entries live for one publish). */
export class AlertEventOutboxRepository {
  readonly collection: Collection<AlertEventOutboxDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<AlertEventOutboxDocument>('alert_event_outbox');
  }

  async add(entry: AlertEventOutboxDocument): Promise<void> {
    await insertManyIgnoringDuplicates(this.collection, [entry]);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: [...ids] } }));
  }

  listStale(olderThan: Date, limit: number): Promise<AlertEventOutboxDocument[]> {
    return this.collection.find({ createdAt: { $lt: olderThan } }, { sort: { createdAt: 1 }, limit, comment: 'alertOutboxStale' }).toArray();
  }
}
