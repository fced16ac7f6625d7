// The launcher's FerretDB commits an insert command's documents in transactions of up to 1,000
// (upstream: 100, each a write-ahead-log sync), and finds the duplicates of a failed transaction by
// halving it (upstream retried each of its documents in a transaction of its own). Counted from
// the database's own write-ahead log: one commit frame per transaction.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type EmbeddedServers } from '../../lib/embedded.js';
import { connectDatabase, type Database } from '../../lib/mongo.js';
import { silentLog } from '../support/fixtures.js';

/** Commit frames of the current generation of a SQLite write-ahead log (0 when there is none yet). */
async function walCommits(path: string): Promise<number> {
  const wal = await readFile(path).catch(() => Buffer.alloc(0));
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salts[0] || wal.readUInt32BE(at + 12) !== salts[1]) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

type Doc = { _id: string; n: number; text: string };
const docs = (from: number, count: number): Doc[] => Array.from({ length: count }, (_, i) => ({ _id: `d${String(from + i).padStart(5, '0')}`, n: from + i, text: 'a review-sized line of text '.repeat(4) }));

let dir: string;
let servers: EmbeddedServers;
let database: Database;
let seq = 0;

/** A fresh collection in a database of its own (so its file's log holds only this test's commits), created by one insert. */
async function freshCollection(): Promise<{ collection: Collection<Doc>; commits: () => Promise<number> }> {
  const name = `txn${++seq}`;
  const db = database.client.db(name);
  const collection = db.collection<Doc>('docs');
  await collection.insertOne({ _id: 'first', n: -1, text: '' });
  return { collection, commits: () => walCommits(join(dir, 'ferretdb', `${name}.sqlite-wal`)) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reviewgraph-insert-txn-'));
  servers = await startEmbedded({ dataDir: dir });
  database = await connectDatabase(servers.mongoUri, 'txn0', { log: silentLog });
}, 60_000);

afterAll(async () => {
  await database?.close();
  await servers?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('insert commands on the embedded FerretDB', () => {
  it('commits an insert of 1,000 documents once, and stores them all', async () => {
    const { collection, commits } = await freshCollection();
    const before = await commits();
    await collection.insertMany(docs(0, 1_000), { ordered: false });
    expect(await commits()).toBe(before + 1);
    expect(await collection.countDocuments({ _id: { $gte: 'd', $lt: 'e' } })).toBe(1_000);
  });

  it('an unordered insert of 1,000 with three duplicates stores the 997 others and names exactly those three, in far fewer transactions than documents', async () => {
    const { collection, commits } = await freshCollection();
    await collection.insertMany([docs(10, 1)[0]!, docs(500, 1)[0]!, docs(999, 1)[0]!]);
    const before = await commits();
    const error = await collection.insertMany(docs(0, 1_000), { ordered: false }).then(() => null, (e: unknown) => e as { code?: number; writeErrors?: Array<{ index: number; code: number }>; insertedCount?: number });
    expect(error?.writeErrors?.map((w) => [w.index, w.code])).toEqual([[10, 11000], [500, 11000], [999, 11000]]);
    expect(error?.insertedCount).toBe(997);
    // upstream: 10 transactions of 100, of which 3 failed and were retried as 300 single-document ones
    expect(await commits() - before).toBeLessThanOrEqual(60);
    expect(await collection.countDocuments({ _id: { $gte: 'd', $lt: 'e' } })).toBe(1_000);
    expect(await collection.findOne({ _id: 'd00010' })).toMatchObject({ n: 10 });
  });

  it('an ordered insert stops at its first duplicate: the documents before it are stored, none after it', async () => {
    const { collection } = await freshCollection();
    await collection.insertOne(docs(250, 1)[0]!);
    const error = await collection.insertMany(docs(0, 600), { ordered: true }).then(() => null, (e: unknown) => e as { writeErrors?: Array<{ index: number; code: number }>; insertedCount?: number });
    expect(error?.writeErrors?.map((w) => [w.index, w.code])).toEqual([[250, 11000]]);
    expect(error?.insertedCount).toBe(250);
    // upstream went on after the failed transaction of 100 with the next one (documents 300 to 599)
    expect(await collection.countDocuments({ _id: { $gte: 'd00251', $lt: 'e' } })).toBe(0);
    expect(await collection.countDocuments({ _id: { $gte: 'd', $lt: 'd00250' } })).toBe(250);
  });

  it('a resubmitted batch (every document a duplicate) reports each one and stores the new one among them', async () => {
    const { collection } = await freshCollection();
    await collection.insertMany(docs(0, 500));
    const again = [...docs(0, 250), { _id: 'new-one', n: 1, text: '' }, ...docs(250, 250)];
    const error = await collection.insertMany(again, { ordered: false }).then(() => null, (e: unknown) => e as { writeErrors?: Array<{ index: number }>; insertedCount?: number });
    expect(error?.writeErrors?.length).toBe(500);
    expect(error?.writeErrors?.some((w) => w.index === 250)).toBe(false);
    expect(error?.insertedCount).toBe(1);
    expect(await collection.findOne({ _id: 'new-one' })).toMatchObject({ n: 1 });
  });
});
