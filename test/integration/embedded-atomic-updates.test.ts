// FerretDB 1.24 runs an update, findAndModify or delete statement as a query for the matching
// documents followed by a separate write by `_id`: two concurrent statements guarded by the same
// condition could both read the document before either wrote, and both report success. On MongoDB
// exactly one wins. The launcher's patch serialises each statement's query and write per collection.
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testInfra, uniqueName } from '../support/infra.js';

const CLIENTS = 4;
const CONTENDERS = 24;
const ROUNDS = 8;
let clients: MongoClient[];
let dbName: string;

type Doc = { _id: string; status?: string; n?: number; claimedBy?: number | null };

/** The same collection through each client: every contender has a connection of its own client. */
function collections(name: string): Collection<Doc>[] {
  return clients.map((c) => c.db(dbName).collection<Doc>(name));
}

const via = <T>(colls: T[], i: number): T => colls[i % colls.length]!;

beforeAll(async () => {
  dbName = uniqueName('atomic_updates');
  clients = await Promise.all(Array.from({ length: CLIENTS }, () => new MongoClient(testInfra().mongoUri, { maxPoolSize: 10 }).connect()));
  // Open each client's connections before racing, so the contenders do not queue on the handshakes.
  await Promise.all(clients.flatMap((c) => Array.from({ length: 6 }, () => c.db(dbName).command({ ping: 1 }))));
});

afterAll(async () => {
  await clients[0]?.db(dbName).dropDatabase();
  await Promise.all(clients.map((c) => c.close(true)));
});

describe('concurrent conditional writes on one document (embedded FerretDB)', () => {
  it('a guarded status transition is won by exactly one of the concurrent updateOne calls', async () => {
    const colls = collections('transitions');
    const outcomes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const _id = `doc-${round}`;
      await colls[0]!.insertOne({ _id, status: 'A' });
      const results = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) => via(colls, i).updateOne({ _id, status: 'A' }, { $set: { status: `B${i}` } })),
      );
      const winners = results.flatMap((r, i) => (r.modifiedCount === 1 ? [i] : []));
      outcomes.push(winners.length);
      expect(results.reduce((sum, r) => sum + r.matchedCount, 0)).toBe(winners.length);
      if (winners.length === 1) expect(await colls[0]!.findOne({ _id })).toEqual({ _id, status: `B${winners[0]}` });
    }
    expect(outcomes).toEqual(Array(ROUNDS).fill(1));
  }, 60_000);

  it('concurrent $inc updates on one counter all count', async () => {
    const colls = collections('counters');
    await colls[0]!.insertOne({ _id: 'counter', n: 0 });
    const total = CONTENDERS * ROUNDS;
    const results = await Promise.all(Array.from({ length: total }, (_, i) => via(colls, i).updateOne({ _id: 'counter' }, { $inc: { n: 1 } })));
    expect({
      modified: results.reduce((sum, r) => sum + r.modifiedCount, 0),
      n: (await colls[0]!.findOne({ _id: 'counter' }))?.n,
    }).toEqual({ modified: total, n: total });
  }, 60_000);

  it('a findOneAndUpdate claim returns the unclaimed pre-image to exactly one caller', async () => {
    const colls = collections('claims');
    const outcomes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const _id = `job-${round}`;
      await colls[0]!.insertOne({ _id, claimedBy: null });
      const results = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) =>
          via(colls, i).findOneAndUpdate({ _id, claimedBy: null }, { $set: { claimedBy: i } }, { returnDocument: 'before' }),
        ),
      );
      const winners = results.flatMap((r, i) => (r ? [i] : []));
      outcomes.push(winners.length);
      if (winners.length === 1) {
        expect(results[winners[0]!]).toEqual({ _id, claimedBy: null });
        expect(await colls[0]!.findOne({ _id })).toEqual({ _id, claimedBy: winners[0] });
      }
    }
    expect(outcomes).toEqual(Array(ROUNDS).fill(1));
  }, 60_000);

  it('findOneAndUpdate $inc hands every caller a number of its own', async () => {
    const colls = collections('sequences');
    await colls[0]!.insertOne({ _id: 'seq', n: 0 });
    const total = CONTENDERS * ROUNDS;
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) => via(colls, i).findOneAndUpdate({ _id: 'seq' }, { $inc: { n: 1 } }, { returnDocument: 'after' })),
    );
    const numbers = results.map((r) => r?.n).sort((a, b) => a! - b!);
    expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  }, 60_000);

  it('a guarded delete and a guarded update on one document: exactly one of them takes effect', async () => {
    const colls = collections('leases');
    const outcomes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const _id = `lease-${round}`;
      await colls[0]!.insertOne({ _id, status: 'A' });
      const results = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) =>
          i % 2 === 0
            ? via(colls, i).deleteOne({ _id, status: 'A' }).then((r) => r.deletedCount)
            : via(colls, i).updateOne({ _id, status: 'A' }, { $set: { status: 'B' } }).then((r) => r.modifiedCount),
        ),
      );
      outcomes.push(results.reduce((sum, n) => sum + n, 0));
    }
    expect(outcomes).toEqual(Array(ROUNDS).fill(1));
  }, 60_000);
});
