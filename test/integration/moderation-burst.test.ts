import { beforeAll, describe, expect, it } from 'vitest';
import type { InternalContext } from '../../lib/internal-context.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Result = { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
let server: Awaited<ReturnType<typeof createServer>>;
let watch: string;
let otherWatch: string;

const as = (scopes: string[], tenant = 'tenant-burst'): InternalContext => ({ ...caller(tenant), scopes });
const WRITER = as(['read', 'write']);
const MODERATOR = as(['read', 'moderate']);

async function run(query: string, variables: Record<string, unknown> = {}, who: InternalContext = WRITER): Promise<Result> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(who) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id } rejected { index code } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) { status signals } }`;

async function submit(reviews: Array<Record<string, unknown>>, who = WRITER): Promise<string[]> {
  const result = await run(SUBMIT, { reviews }, who);
  expect(result.errors).toBeUndefined();
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
}
async function signalsOf(ids: string[], who = WRITER): Promise<Array<{ status: string; signals: string[] }>> {
  return Promise.all(ids.map(async (id) => (await run(REVIEW, { id }, who)).data!.review));
}
const by = (author: string | null, i: number, productId = watch) => ({ productId, rating: 5, text: `Review number ${i} of this watch by ${author ?? 'nobody'}.`, author });

beforeAll(async () => {
  const database = await freshDatabase('moderation-burst');
  const { bus, topics } = await freshBus('moderation_burst');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "BURST-1", name: "Watch" }, { sku: "BURST-2", name: "Other watch" }] }) { products { id } } }`);
  [watch, otherWatch] = products.data!.upsertProducts.products.map((p: { id: string }) => p.id);
});

describe('the burst signal', () => {
  it('flags the reviews an author gives a tenant after the fifth in one hour, across calls and products, case and spacing aside', async () => {
    const first = await submit([by('Jane Doe', 1), by('jane doe ', 2), by('Max', 1), by(null, 1), by('JANE DOE', 3, otherWatch)]);
    const second = await submit([by('Jane Doe', 4), by(null, 2), by('Jane Doe', 5), by('Jane Doe', 6), by('Jane  Doe', 7), by('Jane Doe', 8, otherWatch)]);
    expect((await signalsOf(first)).map((r) => r.signals)).toEqual([[], [], [], [], []]);
    // Jane's 4th and 5th are fine; her 6th is a burst; "Jane  Doe" (two spaces) is another name; no author never counts.
    expect((await signalsOf(second)).map((r) => r.signals)).toEqual([[], [], [], ['BURST'], [], ['BURST']]);
    // The same review sent again is no new review: it is not counted twice, and keeps its signals.
    const again = await submit([{ ...by('Jane Doe', 10), externalId: 'jd-10' }]);
    const retry = await submit([{ ...by('Jane Doe', 10), externalId: 'jd-10' }]);
    expect(retry).toEqual(again);
    expect((await signalsOf(again))[0]!.signals).toEqual(['BURST']);
    // Another tenant's Jane Doe has her own count.
    const other = as(['read', 'write'], 'tenant-burst-other');
    const theirs = (await run(`mutation { upsertProducts(input: { products: [{ sku: "BURST-1", name: "Watch" }] }) { products { id } } }`, {}, other)).data!.upsertProducts.products[0].id as string;
    const elsewhere = await submit([by('Jane Doe', 9, theirs)], other);
    expect((await signalsOf(elsewhere, other))[0]!.signals).toEqual([]);
  });

  it('holds a burst review as PENDING when the tenant policy says so', async () => {
    const policy = await run(`mutation { setModerationPolicy(hold: [BURST]) { hold } }`, {}, MODERATOR);
    expect(policy.data!.setModerationPolicy.hold).toEqual(['BURST']);
    const ids = await submit(Array.from({ length: 7 }, (_, i) => by('Burst Bot', i)));
    expect(await signalsOf(ids)).toEqual([
      ...Array.from({ length: 5 }, () => ({ status: 'PUBLISHED', signals: [] })),
      { status: 'PENDING', signals: ['BURST'] },
      { status: 'PENDING', signals: ['BURST'] },
    ]);
  });
});

describe('burst slots under concurrent batches', () => {
  it('never gives more than five slots of an hour to concurrent claims, each claim either holds one or is a burst, and a review that holds a later slot keeps it', async () => {
    const repo = server.services.moderation;
    const key = 'bs_concurrent_claims_of_one_author_hour';
    // 8 callers at once (as 8 collection processes would), 2 new reviews each, one author-hour; a slot
    // lost to another caller is looked for again once, so under this much contention a slot may stay free
    const results = await Promise.all(Array.from({ length: 8 }, (_, caller) => repo.claimBurstSlots('tenant-burst', [{ key, reviewId: `r${caller}a` }, { key, reviewId: `r${caller}b` }])));
    const bursts = results.flatMap((r) => [...r]);
    const slots = await repo.burstSlots.find({ _id: { $in: [1, 2, 3, 4, 5, 6].map((n) => `${key}_${n}`) } }).toArray();
    expect(slots.length).toBeGreaterThanOrEqual(1);
    expect(slots.length).toBeLessThanOrEqual(5);
    expect(slots.map((s) => s._id).every((id) => [1, 2, 3, 4, 5].map((n) => `${key}_${n}`).includes(id))).toBe(true);
    const holders = slots.map((s) => s.reviewId);
    expect(new Set(holders).size).toBe(holders.length);
    expect(bursts.filter((id) => holders.includes(id))).toEqual([]);
    expect(bursts.length + holders.length).toBe(16);
    // the holder of the highest slot claims again beside newcomers: it keeps its slot and is no burst
    const last = slots.sort((a, b) => a._id.localeCompare(b._id)).at(-1)!.reviewId;
    const again = await repo.claimBurstSlots('tenant-burst', [{ key, reviewId: last }, ...Array.from({ length: 5 }, (_, i) => ({ key, reviewId: `newcomer${i}` }))]);
    expect(again.has(last)).toBe(false);
    expect(await repo.burstSlots.countDocuments({ _id: { $in: [1, 2, 3, 4, 5, 6].map((n) => `${key}_${n}`) } })).toBe(5);
  });
});
