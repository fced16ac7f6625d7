import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { afterAll } from 'vitest';
import type { Database } from '../../lib/mongo.js';
import { testInfra, uniqueName } from './infra.js';

/** One data command a piece of code sent, with the plan the server makes for its filter. */
export interface PlannedCommand {
  command: string;
  collection: string;
  comment: unknown;
  filter: Document;
  /**
   * Served by an index: FerretDB's SQLite plan searches the `_id` index (MongoDB's plan has no
   * COLLSCAN), and a find's limit is applied by that read (FerretDB pushed the limit down; MongoDB
   * sorts nothing in memory), so it reads what it returns.
   */
  indexed: boolean;
  plan: string;
}

const FILTERED = new Set(['find', 'delete', 'update', 'count', 'findAndModify']);

/**
 * A fresh database on the real server whose client reports every command it sends, so a test can
 * see what a background path asks the server for and how the server plans each filter (explained
 * as a find over the same filter: FerretDB serves a delete or an update from the same backend query).
 */
export async function monitoredDatabase(owner: string): Promise<Database & { commandsDuring(run: () => Promise<unknown>): Promise<PlannedCommand[]> }> {
  const client = new MongoClient(testInfra().mongoUri, { monitorCommands: true, serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(uniqueName(owner));
  const info = await db.admin().command({ buildInfo: 1 });
  const isFerretDB = typeof info.ferretdbVersion === 'string';
  let recording: CommandStartedEvent[] | null = null;
  client.on('commandStarted', (event) => {
    if (recording && event.databaseName === db.databaseName && FILTERED.has(event.commandName)) recording.push(event);
  });
  const close = async () => {
    await db.dropDatabase();
    await client.close();
  };
  afterAll(close);
  return {
    client, db, isFerretDB, close,
    async commandsDuring(run) {
      const events: CommandStartedEvent[] = [];
      recording = events;
      try {
        await run();
      } finally {
        recording = null;
      }
      const planned: PlannedCommand[] = [];
      for (const event of events) {
        const c = event.command;
        const collection = String(c[event.commandName]);
        const statements: Array<{ filter: Document; sort?: Document; limit?: number }> =
          event.commandName === 'delete' ? (c.deletes as Document[]).map((d) => ({ filter: d.q as Document }))
            : event.commandName === 'update' ? (c.updates as Document[]).map((u) => ({ filter: u.q as Document }))
              : event.commandName === 'find' ? [{ filter: (c.filter ?? {}) as Document, sort: c.sort as Document | undefined, limit: c.limit as number | undefined }]
                : [{ filter: (c.query ?? {}) as Document }];
        for (const s of statements) {
          const explain = await db.collection(collection).find(s.filter, { ...(s.sort ? { sort: s.sort } : {}), ...(s.limit ? { limit: s.limit } : {}) }).explain();
          const plan = JSON.stringify(isFerretDB ? explain.queryPlanner : explain);
          const limited = !s.limit || (isFerretDB ? explain.limitPushdown === true : !/"stage":"SORT"/.test(plan));
          const indexed = limited && (isFerretDB ? /SEARCH \S+ USING INDEX \S+__id_/.test(plan) && !/\bSCAN\b/.test(plan) : !/COLLSCAN/.test(plan));
          planned.push({ command: event.commandName, collection, comment: c.comment, filter: s.filter, indexed, plan });
        }
      }
      return planned;
    },
  };
}
