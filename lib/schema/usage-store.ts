import { randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';

/** One flush of one client's aggregated usage: sampled counts over a time span. */
export interface UsageDocument {
  _id: string;
  from: string;
  to: string;
  clientName: string;
  clientVersion: string;
  /** Fraction of operations that were recorded; estimates divide counts by it. */
  sampleRate: number;
  /** Operations recorded (sampled) in the span. */
  operations: number;
  coordinates: Array<{ coordinate: string; count: number }>;
}

/** Estimated usage in a window, per client (name + version). */
export interface UsageSummary {
  since: string;
  /** Estimated operations in the window, all clients. */
  operations: number;
  flushes: number;
  clients: Array<{ clientName: string; clientVersion: string; operations: number; coordinates: Map<string, number> }>;
}

export const USAGE_COLLECTION = 'schema_usage';

/** The gateway's usage collection: documents keyed by `<flush time ISO>_<random>`, so a window is an `_id` range. */
export function usageCollection(db: Db): Collection<UsageDocument> {
  return db.collection<UsageDocument>(USAGE_COLLECTION);
}

/** A time-ordered, unique id for a flush written at `at`. */
export function usageDocumentId(at: Date): string {
  return `${at.toISOString()}_${randomBytes(4).toString('hex')}`;
}

/** Sums the flushes since `since`, per client, scaling sampled counts back up by each flush's sample rate. */
export async function readUsage(db: Db, since: Date): Promise<UsageSummary> {
  const sinceId = since.toISOString();
  const cursor = usageCollection(db).find({ _id: { $gte: sinceId } }, { sort: { _id: 1 }, comment: 'readUsage' });
  const clients = new Map<string, UsageSummary['clients'][number]>();
  let operations = 0;
  let flushes = 0;
  for await (const doc of cursor) {
    flushes += 1;
    const scale = doc.sampleRate > 0 ? 1 / doc.sampleRate : 1;
    const key = `${doc.clientName}\u0000${doc.clientVersion}`;
    const client = clients.get(key) ?? { clientName: doc.clientName, clientVersion: doc.clientVersion, operations: 0, coordinates: new Map<string, number>() };
    client.operations += doc.operations * scale;
    operations += doc.operations * scale;
    for (const { coordinate, count } of doc.coordinates) client.coordinates.set(coordinate, (client.coordinates.get(coordinate) ?? 0) + count * scale);
    clients.set(key, client);
  }
  return { since: sinceId, operations: Math.round(operations), flushes, clients: [...clients.values()].map((c) => ({ ...c, operations: Math.round(c.operations) })) };
}

/** Estimated operations touching `coordinate` (or, for a type name, any of its fields), per client, busiest first. */
export function usageOf(summary: UsageSummary, coordinate: string): { total: number; clients: Array<{ clientName: string; clientVersion: string; count: number }> } {
  const matches = (c: string) => c === coordinate || (!coordinate.includes('.') && c.startsWith(`${coordinate}.`));
  const clients = summary.clients
    .map((client) => {
      // For a type, the most-used field approximates the operations touching the type (they overlap).
      let count = 0;
      for (const [c, n] of client.coordinates) if (matches(c)) count = coordinate.includes('.') ? count + n : Math.max(count, n);
      return { clientName: client.clientName, clientVersion: client.clientVersion, count: Math.round(count) };
    })
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count);
  return { total: clients.reduce((sum, c) => sum + c.count, 0), clients };
}
