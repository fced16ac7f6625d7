import { jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import { connectBus, type Bus } from '../../lib/bus/index.js';
import { deadLetterStreamName } from '../../lib/bus/streams.js';
import type { InternalContext } from '../../lib/internal-context.js';
import { connectDatabase, type Database } from '../../lib/mongo.js';
import { reviewTopics, type ReviewTopics } from '../../lib/streams.js';
import { testInfra, uniqueName } from './infra.js';

export const silentLog = pino({ level: 'silent' });
export const TEST_SECRET = 'test-internal-secret-0123456789';

/** A fresh database on the real server for one test file, dropped after it. */
export async function freshDatabase(owner: string): Promise<Database> {
  const database = await connectDatabase(testInfra().mongoUri, uniqueName(owner));
  afterAll(async () => {
    await database.db.dropDatabase();
    await database.close();
  });
  return database;
}

/** A bus on a fresh namespace (its own stream) for one test file, deleted after it. */
export async function freshBus(name: string): Promise<{ bus: Bus; topics: ReviewTopics }> {
  const topics = reviewTopics(uniqueName(name).toLowerCase());
  const bus = await connectBus({ natsUrl: testInfra().natsUrl, name, log: silentLog, streams: [topics.stream] });
  afterAll(async () => {
    const jsm = await jetstreamManager(bus.connection);
    for (const stream of [topics.stream.name, deadLetterStreamName(topics.stream)]) await jsm.streams.delete(stream).catch(() => undefined);
    await bus.close();
  });
  return { bus, topics };
}

export function caller(tenantId = 'tenant-a'): InternalContext {
  return { tenantId, scopes: ['read', 'write'], requestId: 'test-request', keyId: null };
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
