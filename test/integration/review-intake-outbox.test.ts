import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type PublishItem } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import type { EventPublisher } from '../../subgraphs/collection/src/services/collection-services.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { submitReviews } from '../../subgraphs/collection/src/services/review-intake.js';
import { testInfra } from '../support/infra.js';
import { freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let database: Database;
let topics: ReviewTopics;
let server: Server;
let bus: Awaited<ReturnType<typeof freshBus>>['bus'];
let productId: string;
let brokenBus: EventPublisher;

/** The review ids of the `review.submitted` events on the stream, in order (each event once per stored message). */
async function streamedReviewIds(): Promise<string[]> {
  const jsm = await jetstreamManager(bus.connection);
  const total = (await jsm.streams.info(topics.stream.name)).state.messages;
  const consumer = await jetstream(bus.connection).consumers.get(topics.stream.name);
  const ids: string[] = [];
  while (ids.length < total) {
    const messages = await consumer.fetch({ max_messages: total - ids.length, expires: 2_000 });
    for await (const m of messages) ids.push((m.json() as { data: { reviewId: string } }).data.reviewId);
  }
  return ids;
}

const outbox = () => database.db.collection('outbox');
let counter = 0;
const reviews = (n: number) => Array.from({ length: n }, () => ({ productId, rating: 4, text: `Battery lasts a week, review ${++counter}.`, source: 'partner:outbox-test', externalId: `ext-${counter}` }));

beforeAll(async () => {
  database = await freshDatabase('collection');
  ({ bus, topics } = await freshBus('collection'));
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  productId = (await server.services.products.upsertBySku('tenant-a', { sku: 'OB-1', name: 'Outbox watch', brand: null, category: 'sport-watch' }))._id;
  const closed = await connectBus({ natsUrl: testInfra().natsUrl, name: 'closed', log: silentLog, streams: [topics.stream] });
  await closed.close();
  brokenBus = closed;
});

describe('the outbox of submitReviews', () => {
  it('keeps a batch that could not be published as one entry, which the sweeper turns into every review event, once each', async () => {
    const before = await streamedReviewIds();
    const result = await submitReviews({ ...server.services, publisher: brokenBus }, 'tenant-a', reviews(200));
    expect(result.accepted).toEqual([]);
    expect(result.rejected.map((r) => r.code)).toEqual(Array(200).fill('NOT_PUBLISHED'));
    // one document for the whole batch, not one per review
    expect(await outbox().countDocuments()).toBe(1);

    expect(await sweepOutbox(server.services, { olderThanMs: 0 })).toEqual({ republished: 200, dropped: 0, failed: 0 });
    const after = await streamedReviewIds();
    expect(after.slice(before.length).sort()).toEqual(result.rejected.map((r) => r.message.match(/review (rev_\w+)/)![1]).sort());
    expect(await outbox().countDocuments()).toBe(0);
    expect(await sweepOutbox(server.services, { olderThanMs: 0 })).toEqual({ republished: 0, dropped: 0, failed: 0 });
  });

  it('when only part of a batch reaches the bus, accepts that part and leaves only the rest to the sweeper', async () => {
    // the first 60 events go to the real bus, the others to a closed connection
    const halfBroken: EventPublisher = {
      async publishMany(items: PublishItem[]) {
        const [a, b] = [await bus.publishMany(items.slice(0, 60)), await brokenBus.publishMany(items.slice(60))];
        return { published: [...a.published, ...b.published], failed: [...a.failed, ...b.failed] };
      },
    };
    const before = await streamedReviewIds();
    const result = await submitReviews({ ...server.services, publisher: halfBroken }, 'tenant-a', reviews(100));
    expect(result.accepted.map((a) => a.index)).toEqual([...Array(60).keys()]);
    expect(result.rejected.map((r) => r.index)).toEqual([...Array(40).keys()].map((i) => 60 + i));
    const waiting = await outbox().find({}).toArray();
    expect(waiting.map((e) => e.reviewId).sort()).toEqual(result.rejected.map((r) => r.message.match(/review (rev_\w+)/)![1]).sort());

    expect(await sweepOutbox(server.services, { olderThanMs: 0 })).toEqual({ republished: 40, dropped: 0, failed: 0 });
    const added = (await streamedReviewIds()).slice(before.length);
    expect(added).toHaveLength(100);
    expect(new Set(added).size).toBe(100);
    expect(await outbox().countDocuments()).toBe(0);
  });

  it('finishes what a request that died between storing its reviews and publishing left, also when a sweep died halfway', async () => {
    const before = await streamedReviewIds();
    const outboxRepo = server.services.outbox;
    // what the write path leaves when the process dies right after the insert: the batch entry and the reviews
    const docs = reviews(30).map((r, i) => ({ _id: `rev_${(0xd1ed00 + i).toString(16).padStart(24, '0')}`, tenantId: 'tenant-a', ...r, title: null, author: null, locale: null, createdAt: new Date(), receivedAt: new Date() }));
    const pending = await outboxRepo.addSubmittedBatch('tenant-a', docs.map((d) => d._id), new Date(Date.now() - 60_000));
    await server.services.reviews.insertNew(docs);
    // ...and a sweep that died after writing a third of the per-review entries, before deleting the batch entry
    await outboxRepo.add(docs.slice(0, 10).map((d) => ({ _id: `review.submitted:${d._id}`, tenantId: 'tenant-a', reviewId: d._id, createdAt: pending.createdAt })));

    expect(await sweepOutbox(server.services, { olderThanMs: 30_000 })).toEqual({ republished: 30, dropped: 0, failed: 0 });
    expect((await streamedReviewIds()).slice(before.length).sort()).toEqual(docs.map((d) => d._id).sort());
    expect(await outbox().countDocuments()).toBe(0);
  });
});

describe('concurrent submitReviews calls in one process', () => {
  it('take turns to write, and a batch waiting for the bus does not hold back the next one', async () => {
    const first = reviews(50);
    const second = reviews(50);
    let storedWhileFirstPublished: number | null = null;
    let calls = 0;
    // a real bus whose first publish takes a while
    const slowFirst: EventPublisher = {
      async publishMany(items: PublishItem[]) {
        if (++calls === 1) {
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          storedWhileFirstPublished = await database.db.collection('reviews').countDocuments({ externalId: { $in: second.map((r) => r.externalId) } });
        }
        return bus.publishMany(items);
      },
    };
    const deps = { ...server.services, publisher: slowFirst };
    const [a, b] = await Promise.all([submitReviews(deps, 'tenant-a', first), submitReviews(deps, 'tenant-a', second)]);

    // the second batch was written (its turn came once the first one's writes were done) while the first waited for the bus
    expect(storedWhileFirstPublished).toBe(50);
    expect(a.accepted).toHaveLength(50);
    expect(b.accepted).toHaveLength(50);
    expect((await server.services.reviews.findByIds('tenant-a', [...a.accepted, ...b.accepted].map((x) => x.id))).size).toBe(100);
  });
});
