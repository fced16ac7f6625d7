// FerretDB 1.24 kept every statement's query of an `update` command open until the command ended,
// and its SQLite backend gives a database 100 connections: a command of 100 statements waited
// forever for a connection, and so did every later command on that database. The launcher's patch
// closes each statement's query when the statement ends.
import { MongoBulkWriteError, MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra, uniqueName } from '../support/infra.js';

const BOUND_MS = 30_000;
let client: MongoClient;

/** `work`, or a failure naming what did not finish within BOUND_MS. */
async function within<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${BOUND_MS / 1000} s`)), BOUND_MS);
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function seeded(label: string, count: number): Promise<Db> {
  const db = client.db(uniqueName(label));
  await db.collection('things').insertMany(Array.from({ length: count }, (_, i) => ({ _id: `t-${i}`, n: i, version: 1 }) as never));
  return db;
}

beforeAll(() => {
  client = new MongoClient(testInfra().mongoUri, { maxPoolSize: 4 });
});

afterAll(async () => {
  // A hung command would keep its socket: close without waiting for it.
  await client.close(true);
});

describe('update and delete commands of many statements (embedded FerretDB)', () => {
  it('one update command of 500 updateOne statements finishes, and the database answers afterwards', async () => {
    const db = await seeded('batch_updates', 500);
    const things = db.collection<{ _id: string; n: number; version: number }>('things');
    const result = await within('a bulkWrite of 500 updates', things.bulkWrite(
      Array.from({ length: 500 }, (_, i) => ({ updateOne: { filter: { _id: `t-${i}`, version: 1 }, update: { $set: { version: 2 }, $inc: { n: 1000 } } } })),
      { ordered: false },
    ));
    expect({ matched: result.matchedCount, modified: result.modifiedCount }).toEqual({ matched: 500, modified: 500 });
    expect(await within('a read after it', things.findOne({ _id: 't-499' }))).toEqual({ _id: 't-499', n: 1499, version: 2 });
    expect(await within('a count after it', things.countDocuments({ version: 2 }))).toBe(500);
    await db.dropDatabase();
  }, 90_000);

  it('one delete command of 500 deleteOne statements finishes, and the database answers afterwards', async () => {
    const db = await seeded('batch_deletes', 600);
    const things = db.collection<{ _id: string; n: number }>('things');
    const result = await within('a bulkWrite of 500 deletes', things.bulkWrite(Array.from({ length: 500 }, (_, i) => ({ deleteOne: { filter: { _id: `t-${i}` } } }))));
    expect(result.deletedCount).toBe(500);
    expect(await within('a count after it', things.countDocuments({}))).toBe(100);
    expect(await within('a read after it', things.findOne({ _id: 't-500' }))).toEqual({ _id: 't-500', n: 500, version: 1 });
    await db.dropDatabase();
  }, 90_000);

  it('an update command of 1,000 statements keeps its counts and upserts', async () => {
    // The driver splits a bulk write at the server's maxWriteBatchSize; FerretDB reports MongoDB's 100,000.
    const hello = await client.db('admin').command({ hello: 1 });
    expect(hello.maxWriteBatchSize).toBe(100_000);

    const db = await seeded('batch_upserts', 600);
    const things = db.collection<{ _id: string; n: number; version: number }>('things');
    const statements = Array.from({ length: 1000 }, (_, i) => ({
      // 600 stored documents updated, the 400 others upserted
      updateOne: { filter: { _id: `t-${i}` }, update: { $set: { version: 2 }, $inc: { n: 1 } }, upsert: true },
    }));
    const first = await within('a bulkWrite of 1,000 upserts', things.bulkWrite(statements, { ordered: true }));
    expect({ matched: first.matchedCount, modified: first.modifiedCount, upserted: first.upsertedCount }).toEqual({ matched: 600, modified: 600, upserted: 400 });
    // (FerretDB numbers its upserts 0, 1, … rather than by their statements' indexes)
    expect(Object.values(first.upsertedIds).sort()).toEqual(Array.from({ length: 400 }, (_, i) => `t-${600 + i}`).sort());
    expect(await within('a count after it', things.countDocuments({ version: 2 }))).toBe(1000);
    expect(await things.findOne({ _id: 't-999' })).toEqual({ _id: 't-999', n: 1, version: 2 });

    // 1,000 statements again, none upserting and half of them matching nothing.
    const second = await within('a bulkWrite of 1,000 updates', things.bulkWrite(
      Array.from({ length: 1000 }, (_, i) => ({ updateOne: { filter: { _id: `t-${i}`, version: i % 2 === 0 ? 2 : 1 }, update: { $set: { version: 3 } } } })),
      { ordered: false },
    ));
    expect({ matched: second.matchedCount, modified: second.modifiedCount, upserted: second.upsertedCount }).toEqual({ matched: 500, modified: 500, upserted: 0 });
    expect(await within('a count after it', things.countDocuments({ version: 3 }))).toBe(500);
    await db.dropDatabase();
  }, 120_000);

  it('a statement that fails in a long update command is reported as a write error, and the database answers afterwards', async () => {
    const db = await seeded('batch_failing', 300);
    const things = db.collection<{ _id: string; n: number; version: number }>('things');
    await things.updateOne({ _id: 't-150' }, { $set: { n: 'not a number' as never } });
    const failed = await within('a bulkWrite of 300 updates, one failing', things.bulkWrite(
      Array.from({ length: 300 }, (_, i) => ({ updateOne: { filter: { _id: `t-${i}` }, update: { $inc: { n: 1 } } } })),
      { ordered: true },
    ).then(() => null, (error: MongoBulkWriteError) => error));
    // As FerretDB 1.24 does: the statements before the failing one are applied, the command stops there.
    expect(failed).toBeInstanceOf(MongoBulkWriteError);
    expect(failed!.writeErrors).toMatchObject([{ code: 14 }]);
    expect(await within('a read after it', things.findOne({ _id: 't-149' }))).toEqual({ _id: 't-149', n: 150, version: 1 });
    expect(await things.findOne({ _id: 't-151' })).toEqual({ _id: 't-151', n: 151, version: 1 });
    await db.dropDatabase();
  }, 90_000);
});
