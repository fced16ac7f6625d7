import { AckPolicy, jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it } from 'vitest';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { ReviewStateRepository } from '../../subgraphs/applications/src/repositories/review-state-repository.js';
import { rebuildInsights } from '../../subgraphs/applications/src/services/insights-rebuild.js';
import { reviewStateId, stateVersionId, type ReviewStateDocument } from '../../subgraphs/applications/src/models/review-state.js';
import { AlertEventOutboxRepository } from '../../subgraphs/applications/src/repositories/alert-event-outbox-repository.js';
import { WebhookDeliveryRepository } from '../../subgraphs/applications/src/repositories/webhook-delivery-repository.js';
import type { WebhookDeliveryDocument } from '../../subgraphs/applications/src/models/webhook-delivery.js';
import { dueEntry } from '../../subgraphs/applications/src/models/webhook-due.js';
import { AnalysisRepository } from '../../subgraphs/analysis/src/repositories/analysis-repository.js';
import { ANALYSIS_CONSUMER } from '../../subgraphs/analysis/src/services/analysis-consumer.js';
import { requestReanalysis } from '../../subgraphs/analysis/src/services/reanalysis.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { submitReviewsOnce } from '../../subgraphs/collection/src/services/review-submission.js';
import { submitReviews } from '../../subgraphs/collection/src/services/review-intake.js';
import { deleteReviews } from '../../subgraphs/collection/src/services/review-deletion.js';
import { deletedEvent } from '../../subgraphs/collection/src/services/review-events.js';
import { connectBus } from '../../lib/bus/index.js';
import { testInfra } from '../support/infra.js';
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

describe('the outbox sweeper', () => {
  it('reads the stale outbox through the _id index, sweeps what a crash left, and keeps nothing once all is published', async () => {
    const { bus, topics } = await freshBus('background_outbox');
    const closed = await connectBus({ natsUrl: testInfra().natsUrl, name: 'closed', log: silentLog, streams: [topics.stream] });
    await closed.close();
    const live = { ...server.services, publisher: bus, topics };
    // settled calls leave only their markers; one call's batch could not be published; one deletion
    // died after writing its entry (a crash before its publish)
    for (let i = 0; i < 20; i++) await submitReviews(live, 'tenant-a', [review(), review()]);
    const deleted = (await submitReviews(live, 'tenant-a', [review()])).accepted[0]!.id;
    expect((await deleteReviews(live, 'tenant-a', [(await submitReviews(live, 'tenant-a', [review()])).accepted[0]!.id])).deleted).toHaveLength(1);
    const unpublished = await submitReviews({ ...live, publisher: closed }, 'tenant-a', [review(), review(), review()]);
    expect(unpublished.accepted).toEqual([]);
    const doomed = (await server.services.reviews.findByIds('tenant-a', [deleted])).get(deleted)!;
    const item = deletedEvent(topics, doomed);
    await server.services.outbox.add([{ _id: item.event.id, tenantId: 'tenant-a', reviewId: deleted, createdAt: new Date(), event: item }]);

    const later = new Date(Date.now() + 60_000);
    let swept: Awaited<ReturnType<typeof sweepOutbox>> | undefined;
    const commands = await database.commandsDuring(async () => {
      swept = await sweepOutbox(live, { olderThanMs: 30_000 }, later);
    });
    // three submitted events of the batch, and the deletion (finished first: the review is gone)
    expect(swept).toEqual({ republished: 4, dropped: 0, failed: 0 });
    expect(await server.services.reviews.findByIds('tenant-a', [deleted])).toEqual(new Map());
    const onOutbox = commands.filter((c) => c.collection.startsWith('outbox'));
    expect(onOutbox.filter((c) => !c.indexed).map((c) => `${c.command} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    expect(await sweepOutbox(live, { olderThanMs: 30_000 }, later)).toEqual({ republished: 0, dropped: 0, failed: 0 });
    // the settled calls' markers are looked at once more, ten minutes on, then gone
    await sweepOutbox(live, { olderThanMs: 30_000 }, new Date(Date.now() + 20 * 60_000));
    expect(await server.services.outbox.collection.countDocuments({})).toBe(0);
    expect(await database.db.collection<{ _id: string }>('outbox_schedule').countDocuments({ _id: { $gt: 'ob|', $lt: 'ob}' } })).toBe(0);
  });

  it('sweeps entries and batches stored before the schedule existed, after one read of the outbox at start', async () => {
    const older = await monitoredDatabase('background_old_outbox');
    const { bus, topics } = await freshBus('background_old_outbox');
    const first = await createServer({ database: older, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
    const product = (await first.services.products.upsertBySku('tenant-a', { sku: 'BG-OLD', name: 'Old watch', brand: null, category: 'sport-watch' }))._id;
    const closed = await connectBus({ natsUrl: testInfra().natsUrl, name: 'closed', log: silentLog, streams: [topics.stream] });
    await closed.close();
    const stored = await submitReviews({ ...first.services, publisher: closed }, 'tenant-a', [1, 2].map((n) => ({ productId: product, rating: 3, text: `Stored before, ${n}.`, source: 'partner:old', externalId: `old-${n}` })));
    const ids = stored.rejected.map((r) => r.message.match(/review (rev_\w+)/)![1]!);
    // what an older version left: its batch document under its old key, nothing on the schedule
    const outbox = older.db.collection<{ _id: string }>('outbox');
    const batch = (await outbox.find({}).toArray())[0]!;
    await outbox.deleteMany({});
    await outbox.insertOne({ ...batch, _id: 'submitted-batch:0123456789abcdef01234567' });
    await older.db.collection('outbox_schedule').drop();
    const restarted = await createServer({ database: older, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
    expect(await sweepOutbox(restarted.services, { olderThanMs: 0 })).toEqual({ republished: ids.length, dropped: 0, failed: 0 });
    expect(await outbox.countDocuments({})).toBe(0);
  });
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

describe('re-analysis', () => {
  it('requests every outdated analysis once, reading the store in _id pages served by the index', async () => {
    const analysisDb = await monitoredDatabase('background_analysis');
    const { bus, topics } = await freshBus('background_analysis');
    await (await jetstreamManager(bus.connection)).consumers.add(topics.stream.name, { durable_name: ANALYSIS_CONSUMER, ack_policy: AckPolicy.Explicit, filter_subject: topics.reanalysisRequested });
    // 300 analyses: every third from an older model, every seventh of those a deletion's tombstone
    const docs = Array.from({ length: 300 }, (_, i) => ({
      _id: `rev_${i.toString(16).padStart(24, '0')}`, tenantId: 'tenant-a', productId: 'prd_1', productCategory: 'sport-watch', text: `Review ${i}`, locale: 'en', reviewCreatedAt: new Date(),
      modelVersion: i % 3 === 0 ? 'model-old' : 'model-new', status: i % 3 === 0 && i % 7 === 0 ? 'DELETED' : 'DONE', revision: 1, detail: '{}',
    }));
    await analysisDb.db.collection('analyses').insertMany(docs as never[]);
    const outdated = docs.filter((d) => d.modelVersion === 'model-old' && d.status !== 'DELETED').map((d) => d._id);
    const analyses = new AnalysisRepository(analysisDb);
    let result: Awaited<ReturnType<typeof requestReanalysis>> | undefined;
    const commands = await analysisDb.commandsDuring(async () => {
      result = await requestReanalysis({ analyses, bus, topics, log: silentLog }, { targetVersion: 'model-new', pageSize: 40, maxPerSecond: 10_000 });
    });
    expect(result).toEqual({ requested: outdated.length, lastId: outdated.at(-1) });
    const reads = commands.filter((c) => c.collection === 'analyses');
    expect(reads.filter((c) => !c.indexed).map((c) => `${c.command} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    // one read per page of 40, each what it returns: the store once, not once per page
    expect(reads.length).toBe(Math.ceil(300 / 40) + (300 % 40 === 0 ? 1 : 0));
  });
});

describe('rebuild-insights', () => {
  it('reads the review states in _id pages served by the index, the first page too', async () => {
    const applicationsDb = await monitoredDatabase('background_apps');
    const states = new ReviewStateRepository(applicationsDb);
    const insights = new InsightsRepository(applicationsDb);
    const versions = ['prd_a', 'prd_b'].flatMap((productId) => Array.from({ length: 3 }, (_, i): ReviewStateDocument => {
      const reviewId = `rev_${productId}_${i}`;
      const stateId = reviewStateId('tenant-a', productId, reviewId);
      return { _id: stateVersionId(stateId, 1), stateId, tenantId: 'tenant-a', productId, reviewId, version: 1, change: null, submitted: { rating: 2 + i, createdAt: '2026-11-02T10:00:00.000Z', locale: 'en' }, analysis: null, deleted: false };
    }));
    await states.insertVersions(versions);
    let result: Awaited<ReturnType<typeof rebuildInsights>> | undefined;
    const commands = await applicationsDb.commandsDuring(async () => {
      result = await rebuildInsights({ insights, states }, { restart: true, graceMs: 0 });
    });
    expect(result).toEqual({ products: 2, reviews: 6, done: true });
    const reads = commands.filter((c) => c.collection === states.collection.collectionName && c.command === 'find');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((c) => !c.indexed).map((c) => `${c.command} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    expect((await insights.collection.findOne({ tenantId: 'tenant-a', productId: 'prd_a' }))?.reviewCount).toBe(3);
  });
});

describe('the webhook queue', () => {
  let queueDb: Awaited<ReturnType<typeof monitoredDatabase>>;
  let repo: WebhookDeliveryRepository;
  let serial = 0;
  const deliveries = (webhookId: string, n: number, at: Date): WebhookDeliveryDocument[] => Array.from({ length: n }, () => {
    const id = `whd_${(++serial).toString(16).padStart(24, '0')}`;
    return { _id: id, tenantId: 'tenant-a', webhookId, eventId: `evt_${serial}`, eventType: 'review.published' as WebhookDeliveryDocument['eventType'], body: '{}', status: 'PENDING', attempts: 0, createdAt: at, updatedAt: at };
  });

  beforeAll(async () => {
    queueDb = await monitoredDatabase('background_queue');
    repo = new WebhookDeliveryRepository(queueDb);
  });

  it('polls through the _id index, and a backlog of one webhook neither costs the poll nor hides another', async () => {
    const at = new Date(Date.now() - 1_000);
    await repo.enqueue(deliveries('wh_slow', 300, at), at);
    const quick = deliveries('wh_quick', 3, at);
    await repo.enqueue(quick, at);
    // the first poll of a store also gives entries from before lanes existed their places (one read of the queue, once)
    await repo.due(new Date(0), 1);
    let due: Awaited<ReturnType<WebhookDeliveryRepository['due']>> = [];
    const commands = await queueDb.commandsDuring(async () => {
      due = await repo.due(new Date(), 20, ['wh_slow']);
    });
    expect(due.map((e) => e._id)).toEqual(quick.map((d) => d._id));
    expect(commands.filter((c) => !c.indexed).map((c) => `${c.command} ${c.collection} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    // the lanes, the one lane not skipped, and its entries
    expect(commands.filter((c) => c.command === 'find').length).toBe(3);
    expect((await repo.due(new Date(), 20)).length).toBe(20);
  });

  it('finds an entry whose move to a new due time was cut short, and an entry queued into a lane that went to sleep', async () => {
    const at = new Date(Date.now() - 1_000);
    const [one] = deliveries('wh_moves', 1, at);
    await repo.enqueue([one!], at);
    const [entry] = (await repo.due(new Date(), 10, ['wh_slow', 'wh_quick'])).filter((e) => e._id === one!._id);
    expect(entry).toBeDefined();
    // the process died after writing the new place (a lease), before the entry named it
    await repo.places.insertOne(dueEntry(entry!.tenantId, entry!.webhookId, entry!._id, new Date(Date.now() + 40_000), new Date()));
    expect((await repo.due(new Date(), 10, ['wh_slow', 'wh_quick'])).map((e) => e._id)).toEqual([one!._id]);
    // done: the lane empties and sleeps; a delivery queued later wakes it
    await repo.reschedule(entry!, 1, new Date(Date.now() + 60_000));
    await repo.dequeue(entry!._id);
    await repo.places.deleteMany({ webhookId: 'wh_moves' });
    expect(await repo.due(new Date(), 10, ['wh_slow', 'wh_quick'])).toEqual([]);
    expect((await repo.lanes.findOne({ webhookId: 'wh_moves' }))?.active).toBe(false);
    const later = deliveries('wh_moves', 2, new Date());
    await repo.enqueue(later, new Date(Date.now() - 10));
    expect((await repo.due(new Date(), 10, ['wh_slow', 'wh_quick'])).map((e) => e._id).sort()).toEqual(later.map((d) => d._id).sort());
  });

  it('drops one webhook\'s queue through its lane, leaving the others', async () => {
    const before = await repo.queue.countDocuments({ webhookId: 'wh_quick' });
    const commands = await queueDb.commandsDuring(() => repo.dropQueued('tenant-a', 'wh_slow'));
    expect(commands.filter((c) => !c.indexed).map((c) => `${c.command} ${c.collection} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    expect(await repo.queue.countDocuments({ webhookId: 'wh_slow' })).toBe(0);
    expect(await repo.queue.countDocuments({ webhookId: 'wh_quick' })).toBe(before);
    expect(await repo.places.countDocuments({ webhookId: 'wh_slow' })).toBe(0);
  });
});

describe('the alert event outbox', () => {
  it('lists what is stale through the _id index, beside many settled events, and keeps an entry written late', async () => {
    const alertsDb = await monitoredDatabase('background_alerts');
    const outbox = new AlertEventOutboxRepository(alertsDb);
    const at = new Date(Date.now() - 60_000);
    for (let i = 0; i < 40; i++) {
      await outbox.add({ _id: `alert.raised:al_${i}`, tenantId: 'tenant-a', alertId: `al_${i}`, type: 'alert.raised', createdAt: at });
      if (i !== 7) await outbox.remove([`alert.raised:al_${i}`]);
    }
    // the first sweep of a store also gives entries from before the schedule their places (one read, once)
    await outbox.listStale(new Date(0), 1);
    let stale: Awaited<ReturnType<AlertEventOutboxRepository['listStale']>> = [];
    const commands = await alertsDb.commandsDuring(async () => {
      stale = await outbox.listStale(new Date(Date.now() - 30_000), 500);
    });
    expect(stale.map((e) => e._id)).toEqual(['alert.raised:al_7']);
    expect(commands.filter((c) => !c.indexed).map((c) => `${c.command} ${c.collection} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);
    // the settled ones are looked at once more ten minutes on; an entry that lands meanwhile is found then
    await alertsDb.db.collection('alert_event_outbox').insertOne({ _id: 'alert.raised:al_3', tenantId: 'tenant-a', alertId: 'al_3', type: 'alert.raised', createdAt: at } as never);
    expect((await outbox.listStale(new Date(Date.now() - 30_000), 500)).map((e) => e._id)).toEqual(['alert.raised:al_7']);
    const tenMinutesOn = new Date(Date.now() + 10 * 60_000);
    expect((await outbox.listStale(new Date(tenMinutesOn.getTime() - 30_000), 500, tenMinutesOn)).map((e) => e._id).sort()).toEqual(['alert.raised:al_3', 'alert.raised:al_7']);
  });
});
