// submitReviews idempotency keys: a retry returns the first result, another payload is refused, concurrent calls run once.
import { beforeAll, describe, expect, it } from 'vitest';
import { idempotencyRecordId } from '../../subgraphs/collection/src/models/idempotency-record.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { submitReviewsOnce } from '../../subgraphs/collection/src/services/review-submission.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let productId: string;

async function run(query: string, variables: Record<string, unknown> = {}, tenant = 'tenant-a'): Promise<{ data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller(tenant)) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!, $key: String) { submitReviews(input: { reviews: $reviews, idempotencyKey: $key }) { accepted { index id duplicate } rejected { index code } } }`;
// Reviews without externalId: each execution stores new ones, so a second execution would show.
const reviews = (text: string) => [{ productId, rating: 4, text }];
const count = () => server.services.reviews.collection.countDocuments({ tenantId: 'tenant-a' });

beforeAll(async () => {
  const database = await freshDatabase('idempotency');
  const { bus, topics } = await freshBus('idempotency');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  productId = (await run(`mutation { upsertProducts(input: { products: [{ sku: "IK-1", name: "Key watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id;
});

describe('submitReviews with an idempotencyKey', () => {
  it('returns the first call\'s result to a retry with the same payload, storing nothing more', async () => {
    const first = await run(SUBMIT, { reviews: reviews('Bright screen.'), key: 'key-1' });
    const stored = await count();
    // the same payload written with its fields in another order and an explicit null
    const again = await run(SUBMIT, { reviews: [{ text: 'Bright screen.', title: null, rating: 4, productId }], key: 'key-1' });
    expect(again).toEqual(first);
    expect(await count()).toBe(stored);
    // without a key (or with another), the same payload is a new submission
    await run(SUBMIT, { reviews: reviews('Bright screen.'), key: 'key-2' });
    expect(await count()).toBe(stored + 1);
  });

  it('refuses the same key with another payload with IDEMPOTENCY_KEY_REUSED, per tenant', async () => {
    await run(SUBMIT, { reviews: reviews('Good strap.'), key: 'key-3' });
    const stored = await count();
    const reused = await run(SUBMIT, { reviews: reviews('Another text.'), key: 'key-3' });
    expect(reused.data).toBeNull();
    expect(reused.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(reused.errors?.[0]?.message).toMatch(/different payload/);
    expect(await count()).toBe(stored);
    // a key that looks like a query operator is plain data: used once, then reused like any other
    const operatorKey = '{"$ne":null}';
    const withOperator = await run(SUBMIT, { reviews: reviews('Operator key.'), key: operatorKey });
    expect(withOperator.data!.submitReviews.accepted).toHaveLength(1);
    expect((await run(SUBMIT, { reviews: reviews('Operator key.'), key: operatorKey }))).toEqual(withOperator);
    expect((await run(SUBMIT, { reviews: reviews('Other text.'), key: '{"$gt":""}' })).data!.submitReviews.accepted).toHaveLength(1);
    const bad = await run(SUBMIT, { reviews: reviews('x'), key: 'has spaces in it' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('runs concurrent calls with one key once, and all of them get that result', async () => {
    const before = await count();
    const results = await Promise.all(Array.from({ length: 6 }, () => run(SUBMIT, { reviews: reviews('Concurrent call.'), key: 'key-4' })));
    expect(await count()).toBe(before + 1);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]!.data!.submitReviews.accepted).toHaveLength(1);
  });

  it('forgets a key once it expired: the next call runs again, and the sweeper deletes the expired record', async () => {
    const inputs = reviews('Expiring key.');
    const first = await submitReviewsOnce(server.services, 'tenant-a', inputs, 'key-5', undefined, { ttlMs: 1_000 });
    const before = await count();
    const later = () => new Date(Date.now() + 2_000);
    const afterExpiry = await submitReviewsOnce(server.services, 'tenant-a', inputs, 'key-5', undefined, { now: later });
    expect(afterExpiry.accepted[0]!.id).not.toBe(first.accepted[0]!.id);
    expect(await count()).toBe(before + 1);
    // a record expired more than the cleanup grace ago is deleted by the sweep
    await sweepOutbox(server.services, { olderThanMs: 60_000 }, new Date(Date.now() + 2 * 60 * 60_000));
    expect(await server.services.idempotency.collection.findOne({ _id: idempotencyRecordId('tenant-a', 'key-5', 0) })).toBeNull();
    expect(await server.services.idempotency.collection.findOne({ _id: idempotencyRecordId('tenant-a', 'key-5', 1) })).not.toBeNull();
  });
});
