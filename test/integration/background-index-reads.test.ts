import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { submitReviewsOnce } from '../../subgraphs/collection/src/services/review-submission.js';
import { idempotencyRecordId, keyHash, type IdempotencyRecordDocument } from '../../subgraphs/collection/src/models/idempotency-record.js';
import { monitoredDatabase } from '../support/command-plans.js';
import { freshBus, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
const HOUR = 60 * 60_000;
let database: Awaited<ReturnType<typeof monitoredDatabase>>;
let server: Server;
let productId: string;
let counter = 0;
const review = () => ({ productId, rating: 4, text: `The strap is comfortable, review ${++counter}.`, source: 'partner:background', externalId: `bg-${counter}` });

beforeAll(async () => {
  database = await monitoredDatabase('background');
  const { bus, topics } = await freshBus('background');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  productId = (await server.services.products.upsertBySku('tenant-a', { sku: 'BG-1', name: 'Background watch', brand: null, category: 'sport-watch' }))._id;
});

describe('idempotency key expiry, run by the outbox sweeper', () => {
  it('reads and deletes only through the _id index, however many live keys are stored', async () => {
    for (let i = 0; i < 30; i++) await submitReviewsOnce(server.services, 'tenant-a', [review()], `live-key-${i}`);
    await submitReviewsOnce(server.services, 'tenant-a', [review()], 'short-key', undefined, { ttlMs: 1_000 });
    const commands = await database.commandsDuring(() => sweepOutbox(server.services, { olderThanMs: 30_000 }, new Date(Date.now() + 2 * HOUR)));
    const onKeys = commands.filter((c) => c.collection === 'idempotency_keys');
    expect(onKeys.length).toBeGreaterThan(0);
    expect(onKeys.filter((c) => !c.indexed).map((c) => `${c.command} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    expect(await server.services.idempotency.collection.findOne({ _id: idempotencyRecordId('tenant-a', 'short-key', 0) })).toBeNull();
    expect(await server.services.idempotency.collection.findOne({ _id: idempotencyRecordId('tenant-a', 'live-key-0', 0) })).not.toBeNull();
  });

  it('deletes the record of a call that died after claiming its key, once it expired, and keeps live keys', async () => {
    const now = new Date();
    const dead: IdempotencyRecordDocument = { _id: idempotencyRecordId('tenant-a', 'died', 0), tenantId: 'tenant-a', keyHash: keyHash('died'), generation: 0, payloadHash: 'x', state: 'RUNNING', result: null, createdAt: now, expiresAt: new Date(now.getTime() + 1_000) };
    // the claim is all the call did before its process went away
    expect(await server.services.idempotency.claim(dead)).toBe(true);
    await submitReviewsOnce(server.services, 'tenant-a', [review()], 'kept');
    await sweepOutbox(server.services, { olderThanMs: 30_000 }, new Date(now.getTime() + 30 * 60_000));
    expect(await server.services.idempotency.collection.findOne({ _id: dead._id })).not.toBeNull();
    await sweepOutbox(server.services, { olderThanMs: 30_000 }, new Date(now.getTime() + 2 * HOUR));
    expect(await server.services.idempotency.collection.findOne({ _id: dead._id })).toBeNull();
    expect(await server.services.idempotency.collection.findOne({ _id: idempotencyRecordId('tenant-a', 'kept', 0) })).not.toBeNull();
  });

  it('finds records stored before the expiry list existed, after one read of them at start', async () => {
    const older = await monitoredDatabase('background_old');
    const expiresAt = new Date(Date.now() - 2 * HOUR);
    const legacy = Array.from({ length: 3 }, (_, i): IdempotencyRecordDocument => ({ _id: idempotencyRecordId('tenant-a', `old-${i}`, 0), tenantId: 'tenant-a', keyHash: keyHash(`old-${i}`), generation: 0, payloadHash: 'x', state: 'DONE', result: '{}', createdAt: new Date(expiresAt.getTime() - 24 * HOUR), expiresAt }));
    await older.db.collection<IdempotencyRecordDocument>('idempotency_keys').insertMany(legacy);
    const { bus, topics } = await freshBus('background_old');
    const restarted = await createServer({ database: older, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
    await sweepOutbox(restarted.services, { olderThanMs: 30_000 });
    expect(await restarted.services.idempotency.collection.countDocuments({ _id: { $in: legacy.map((r) => r._id) } })).toBe(0);
  });
});
