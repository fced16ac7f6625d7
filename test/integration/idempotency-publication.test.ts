// A retry under an idempotency key reports the publication of what the first call stored as it is
// now: NOT_PUBLISHED while the bus refuses, accepted once the event is on the bus, without running
// the writes again. Two collection servers share one database: one publishes to a closed bus
// connection (every publish refused), the other to the real bus.
import { jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectBus } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { testInfra } from '../support/infra.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
type Answer = { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
let database: Database;
let topics: ReviewTopics;
let bus: Awaited<ReturnType<typeof freshBus>>['bus'];
let live: Server;
let refusing: Server;
let productId: string;

async function run(server: Server, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller('tenant-a')) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!, $key: String) { submitReviews(input: { reviews: $reviews, idempotencyKey: $key }) { accepted { index id duplicate revision edited } rejected { index field code message } } }`;
const counts = async () => ({
  reviews: await database.db.collection('reviews').countDocuments({ tenantId: 'tenant-a' }),
  changes: await database.db.collection('review_changes').countDocuments({}),
  revisions: await database.db.collection('review_revisions').countDocuments({}),
});
const messages = async () => (await (await jetstreamManager(bus.connection)).streams.info(topics.stream.name)).state.messages;

beforeAll(async () => {
  database = await freshDatabase('idempotency_publication');
  ({ bus, topics } = await freshBus('idempotency_publication'));
  live = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const closed = await connectBus({ natsUrl: testInfra().natsUrl, name: 'closed', log: silentLog, streams: [topics.stream] });
  await closed.close();
  refusing = await createServer({ database, publisher: closed, topics, log: silentLog, internalSecret: TEST_SECRET });
  productId = (await run(live, `mutation { upsertProducts(input: { products: [{ sku: "IKP-1", name: "Key watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id;
});

describe('a retry under an idempotency key after NOT_PUBLISHED', () => {
  it('stays NOT_PUBLISHED while the bus refuses, and is accepted once the sweeper published the review, storing nothing again', async () => {
    // one review with an externalId, one without (a new review each time it is run)
    const batch = [
      { productId, rating: 4, text: 'The strap is soft and the clasp holds.', source: 'partner:keys', externalId: 'K-1' },
      { productId, rating: 5, text: 'Bright screen, even in the sun.' },
    ];
    const first = await run(refusing, SUBMIT, { reviews: batch, key: 'retry-1' });
    expect(first.data!.submitReviews.accepted).toEqual([]);
    expect(first.data!.submitReviews.rejected.map((r: { code: string }) => r.code)).toEqual(['NOT_PUBLISHED', 'NOT_PUBLISHED']);
    const ids = first.data!.submitReviews.rejected.map((r: { message: string }) => /review (rev_\w+)/.exec(r.message)![1]);
    const stored = await counts();

    // the bus still refuses: the retry says so, and runs nothing again
    expect(await run(refusing, SUBMIT, { reviews: batch, key: 'retry-1' })).toEqual(first);
    expect(await counts()).toEqual(stored);

    const before = await messages();
    expect(await sweepOutbox(live.services, { olderThanMs: 0 })).toEqual({ republished: 2, dropped: 0, failed: 0 });
    expect(await messages()).toBe(before + 2);
    // (the sweeper records its publications in the change feed: what the retry writes is counted from here)
    const swept = await counts();
    expect(swept.reviews).toBe(stored.reviews);

    const retried = await run(live, SUBMIT, { reviews: batch, key: 'retry-1' });
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.submitReviews).toEqual({
      accepted: [{ index: 0, id: ids[0], duplicate: false, revision: 1, edited: false }, { index: 1, id: ids[1], duplicate: false, revision: 1, edited: false }],
      rejected: [],
    });
    // the reviews were not stored again (the one without externalId would be a second review), and the bus kept each event once
    expect(await counts()).toEqual(swept);
    expect(await messages()).toBe(before + 2);
    expect(await run(live, SUBMIT, { reviews: batch, key: 'retry-1' })).toEqual(retried);
  });

  it('accepts a retried edit once its review.updated is published, with the revision the first call made', async () => {
    const review = { productId, rating: 4, text: 'Good battery, a week between charges.', source: 'partner:keys', externalId: 'K-2' };
    const created = await run(live, SUBMIT, { reviews: [review], key: 'create-2' });
    const id = created.data!.submitReviews.accepted[0].id;
    const edit = [{ ...review, rating: 2, text: 'The battery now lasts two days at most.' }];
    const first = await run(refusing, SUBMIT, { reviews: edit, key: 'edit-2' });
    expect(first.data!.submitReviews.rejected).toMatchObject([{ index: 0, code: 'NOT_PUBLISHED' }]);
    const stored = await counts();

    // the retry itself publishes what the first call could not, once the bus takes it
    const retried = await run(live, SUBMIT, { reviews: edit, key: 'edit-2' });
    expect(retried.data!.submitReviews).toEqual({ accepted: [{ index: 0, id, duplicate: true, revision: 2, edited: true }], rejected: [] });
    expect(await counts()).toEqual(stored);
    const reread = await run(live, `query($id: ID!) { review(id: $id) { revision rating } }`, { id });
    expect(reread.data!.review).toEqual({ revision: 2, rating: 2 });
  });

  it('still refuses the key with another payload, and reports a review deleted since as deleted', async () => {
    const batch = [{ productId, rating: 3, text: 'Average fit, fine for the price.', source: 'partner:keys', externalId: 'K-3' }];
    const first = await run(refusing, SUBMIT, { reviews: batch, key: 'retry-3' });
    expect(first.data!.submitReviews.rejected).toMatchObject([{ code: 'NOT_PUBLISHED' }]);
    const id = /review (rev_\w+)/.exec(first.data!.submitReviews.rejected[0].message)![1];

    const reused = await run(live, SUBMIT, { reviews: [{ ...batch[0], rating: 1 }], key: 'retry-3' });
    expect(reused.data).toBeNull();
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');

    expect((await run(live, `mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted pending } }`, { ids: [id] })).data!.deleteReviews.deleted).toEqual([id]);
    const retried = await run(live, SUBMIT, { reviews: batch, key: 'retry-3' });
    expect(retried.data!.submitReviews.accepted).toEqual([]);
    expect(retried.data!.submitReviews.rejected).toMatchObject([{ index: 0, field: null, code: 'REVIEW_DELETED' }]);
    expect(retried.data!.submitReviews.rejected[0].message).toMatch(/deleted since/);
  });
});
