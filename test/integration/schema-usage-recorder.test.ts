import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { readUsage, usageCollection, type UsageDocument } from '../../lib/schema/usage-store.js';
import { UsageRecorder } from '../../gateway/src/usage-recorder.js';
import { testInfra, uniqueName } from '../support/infra.js';

const dbName = uniqueName('usage_recorder');
let mongo: MongoClient;
let unreachable: MongoClient;
const log = createLogger('test', 'silent');

beforeAll(async () => {
  mongo = await MongoClient.connect(testInfra().mongoUri);
  unreachable = new MongoClient('mongodb://127.0.0.1:1/', { serverSelectionTimeoutMS: 300 });
});
afterAll(async () => {
  await mongo.db(dbName).dropDatabase();
  await mongo.close();
  await unreachable.close();
});

describe('the gateway\'s usage recorder', () => {
  it('keeps the counts of a flush the database refused and writes them with the next one, one document per client', async () => {
    let target = unreachable;
    const recorder = new UsageRecorder({ sampleRate: 1, flushIntervalMs: 60_000, maxClients: 10, log, write: async (docs) => { await usageCollection(target.db(dbName)).insertMany(docs); } });
    for (let i = 0; i < 3; i++) recorder.record('web', '1.0.0', ['Query.product', 'Product.name']);
    await recorder.flush();
    expect(await usageCollection(mongo.db(dbName)).countDocuments({})).toBe(0);
    recorder.record('web', '1.0.0', ['Query.product']);
    recorder.record('ios', '2.0.0', ['Query.product', 'Product.sku']);
    target = mongo;
    await recorder.stop();
    const docs: UsageDocument[] = await usageCollection(mongo.db(dbName)).find({}).sort({ clientName: 1 }).toArray();
    expect(docs.map((d) => [d.clientName, d.clientVersion, d.operations])).toEqual([['ios', '2.0.0', 1], ['web', '1.0.0', 4]]);
    expect(Object.fromEntries(docs[1]!.coordinates.map((c) => [c.coordinate, c.count]))).toEqual({ 'Query.product': 4, 'Product.name': 3 });
    const summary = await readUsage(mongo.db(dbName), new Date(Date.now() - 60_000));
    expect(summary.operations).toBe(5);
  });

  it('samples at its rate, scales counts back up when read, and folds clients past its limit into "other"', async () => {
    const db = mongo.db(`${dbName}_s`);
    let n = 0;
    const recorder = new UsageRecorder({ sampleRate: 0.25, flushIntervalMs: 60_000, maxClients: 2, log, random: () => ((n++ % 4) + 0.5) / 4, write: async (docs) => { await usageCollection(db).insertMany(docs); } });
    let sampled = 0;
    for (let i = 0; i < 400; i++) {
      if (!recorder.sample()) continue;
      sampled += 1;
      recorder.record(`client-${i % 3}`, '1', ['Query.products']);
    }
    expect(sampled).toBe(100);
    await recorder.stop();
    const summary = await readUsage(db, new Date(Date.now() - 60_000));
    expect(summary.operations).toBe(400);
    expect(summary.clients.map((c) => c.clientName).sort()).toEqual(['client-0', 'client-1', 'other']);
    await db.dropDatabase();
  });
});
