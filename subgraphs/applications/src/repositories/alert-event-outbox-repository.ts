import type { Collection } from 'mongodb';
import { listKey, textPart, timePart } from '../../../../lib/list-key.js';
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

/**
 * An entry's place on the schedule (`alert_event_schedule`, keyed `ae|<createdAt>|<entry id>`),
 * written before the entry, so what is stale is one `_id` range read however the outbox is used.
 */
interface ScheduledAlertEvent { _id: string; entryId: string; createdAt: Date; recheck?: true }

const SCHEDULE = 'ae';
const scheduleKey = (at: Date, entryId: string) => listKey(SCHEDULE, timePart(at), textPart(entryId));
/** A place whose entry is gone is kept this long after the entry was recorded, in case its insert still lands. */
const KEEP_EMPTY_MS = 10 * 60_000;
const PAGE = 500;
/** Present once entries from before the schedule have their places (outside the schedule's range). */
const BACKFILL_MARKER = `${SCHEDULE}-backfilled`;

/** The small worklist of alert events not yet on the bus, read through its schedule. */
export class AlertEventOutboxRepository {
  readonly collection: Collection<AlertEventOutboxDocument>;
  private readonly schedule: Collection<ScheduledAlertEvent>;
  private backfilled: Promise<void> | null = null;

  constructor(database: Database) {
    this.collection = database.db.collection<AlertEventOutboxDocument>('alert_event_outbox');
    this.schedule = database.db.collection<ScheduledAlertEvent>('alert_event_schedule');
  }

  async add(entry: AlertEventOutboxDocument): Promise<void> {
    await insertManyIgnoringDuplicates(this.schedule, [{ _id: scheduleKey(entry.createdAt, entry._id), entryId: entry._id, createdAt: entry.createdAt }]);
    await insertManyIgnoringDuplicates(this.collection, [entry]);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await retryTransient(() => this.collection.deleteMany({ _id: { $in: [...ids] } }));
  }

  /**
   * Entries recorded before `olderThan`, oldest first: one `_id` range read of the schedule and one
   * `$in` read of the entries it names. A place whose entry is gone is dropped once the entry would be
   * ten minutes old; before that it is moved to be looked at once more then.
   */
  async listStale(olderThan: Date, limit: number, now = new Date()): Promise<AlertEventOutboxDocument[]> {
    await (this.backfilled ??= this.backfill().catch((error) => {
      this.backfilled = null;
      throw error;
    }));
    const places = await retryTransient(() => this.schedule.find({ _id: { $gt: listKey(SCHEDULE, ''), $lt: listKey(SCHEDULE, timePart(olderThan)) } }, { sort: { _id: 1 }, limit: Math.min(limit, PAGE), comment: 'alertOutboxStale' }).toArray());
    if (places.length === 0) return [];
    const entries = new Map((await retryTransient(() => this.collection.find({ _id: { $in: [...new Set(places.map((p) => p.entryId))] } }, { comment: 'alertOutboxEntries' }).toArray())).map((e) => [e._id, e]));
    const gone = places.filter((p) => !entries.has(p.entryId));
    const drop = gone.filter((p) => p.recheck || now.getTime() - p.createdAt.getTime() >= KEEP_EMPTY_MS);
    const keep = gone.filter((p) => !drop.includes(p));
    const lookAgain = (p: ScheduledAlertEvent) => new Date(p.createdAt.getTime() + KEEP_EMPTY_MS - (now.getTime() - olderThan.getTime()));
    await insertManyIgnoringDuplicates(this.schedule, keep.map((p) => ({ ...p, _id: scheduleKey(lookAgain(p), p.entryId), recheck: true as const })));
    if (gone.length > 0) await retryTransient(() => this.schedule.deleteMany({ _id: { $in: gone.map((p) => p._id) } }));
    const stale: AlertEventOutboxDocument[] = [];
    for (const p of places) {
      const entry = entries.get(p.entryId);
      if (entry && !stale.includes(entry)) stale.push(entry);
    }
    return stale;
  }

  /** Entries recorded before the schedule existed get their places: one read of the (small) outbox, once per store. */
  private async backfill(): Promise<void> {
    if (await this.schedule.findOne({ _id: BACKFILL_MARKER }, { projection: { _id: 1 } })) return;
    const entries = await this.collection.find({}, { comment: 'backfillAlertOutboxSchedule' }).toArray();
    await insertManyIgnoringDuplicates(this.schedule, entries.map((e) => ({ _id: scheduleKey(e.createdAt, e._id), entryId: e._id, createdAt: e.createdAt })));
    await insertManyIgnoringDuplicates(this.schedule, [{ _id: BACKFILL_MARKER, entryId: '', createdAt: new Date(0) }]);
  }
}
