import { beforeAll, describe, expect, it } from 'vitest';
import type { InternalContext } from '../../lib/internal-context.js';
import type { Database } from '../../lib/mongo.js';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Result = { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
type Server = Awaited<ReturnType<typeof createServer>>;
let database: Database;
let server: Server;
/** A second collection process on the same database: its own repositories, its own in-process hints. */
let twin: Server;
let watch: string;
let strap: string;

const TENANT = 'tenant-source-burst';
const as = (scopes: string[], tenant = TENANT): InternalContext => ({ ...caller(tenant), scopes });
const WRITER = as(['read', 'write']);
const MODERATOR = as(['read', 'moderate']);

async function run(query: string, variables: Record<string, unknown> = {}, who: InternalContext = WRITER, on: Server = server): Promise<Result> {
  const response = await on.apollo.executeOperation({ query, variables }, { contextValue: on.contextFor(who) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id duplicate } rejected { index field code } } }`;
const REVIEW = `query($id: ID!) { review(id: $id) { status moderationReason signals } }`;
const POLICY = `mutation($hold: [ReviewSignal!]!, $limit: Int) { setModerationPolicy(hold: $hold, sourceBurstLimit: $limit) { hold sourceBurstLimit } }`;

async function submit(reviews: Array<Record<string, unknown>>, who = WRITER, on: Server = server): Promise<string[]> {
  const result = await run(SUBMIT, { reviews }, who, on);
  expect(result.errors).toBeUndefined();
  expect(result.data!.submitReviews.rejected).toEqual([]);
  return result.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
}
const signalsOf = (ids: string[], who = WRITER) => Promise.all(ids.map(async (id) => (await run(REVIEW, { id }, who)).data!.review.signals as string[]));
const from = (source: string, i: number, extra: Record<string, unknown> = {}) => ({ productId: i % 2 === 0 ? watch : strap, rating: 4, text: `Review ${i} from ${source}: does the job.`, source, externalId: `${source}-${i}`, ...extra });
const blocks = () => database.db.collection('source_arrivals').countDocuments({ tenantId: TENANT });

beforeAll(async () => {
  database = await freshDatabase('moderation-source-burst');
  const { bus, topics } = await freshBus('moderation_source_burst');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  twin = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const products = await run(`mutation { upsertProducts(input: { products: [{ sku: "SB-1", name: "Watch" }, { sku: "SB-2", name: "Strap" }] }) { products { id } } }`);
  [watch, strap] = products.data!.upsertProducts.products.map((p: { id: string }) => p.id);
});

describe('the source burst signal', () => {
  it('is 1,000 per source and hour until the policy sets it, keeps the stored limit when left out, and refuses limits outside 1 to 10,000,000', async () => {
    expect((await run(`{ moderationPolicy { hold sourceBurstLimit } }`, {}, MODERATOR)).data!.moderationPolicy).toEqual({ hold: [], sourceBurstLimit: 1000 });
    for (const limit of [0, -3, 10_000_001]) {
      const refused = await run(POLICY, { hold: [], limit }, MODERATOR);
      expect(refused.data).toBeNull();
      expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sourceBurstLimit' });
    }
    // A string where the limit goes, operator-shaped or not, is refused by the schema, not read.
    const typed = await run(`mutation { setModerationPolicy(hold: [], sourceBurstLimit: "{\\"$gt\\": 0}") { sourceBurstLimit } }`, {}, MODERATOR);
    expect(typed.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // A write key cannot change the policy.
    expect((await run(POLICY, { hold: [], limit: 5 })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await run(POLICY, { hold: ['SOURCE_BURST'], limit: 3 }, MODERATOR)).data!.setModerationPolicy).toEqual({ hold: ['SOURCE_BURST'], sourceBurstLimit: 3 });
    expect((await run(POLICY, { hold: ['SOURCE_BURST'] }, MODERATOR)).data!.setModerationPolicy).toEqual({ hold: ['SOURCE_BURST'], sourceBurstLimit: 3 });
  });

  it('flags and holds the reviews a source brings after its limit in one hour, across calls and products, and not another source\'s', async () => {
    const first = await submit([from('partner:acme', 1), from('partner:acme', 2), from('web:shop', 1)]);
    const second = await submit([from('partner:acme', 3), from('web:shop', 2), from('partner:acme', 4), from('partner:acme', 5)]);
    expect(await signalsOf(first)).toEqual([[], [], []]);
    expect(await signalsOf(second)).toEqual([[], [], ['SOURCE_BURST'], ['SOURCE_BURST']]);
    const held = await run(REVIEW, { id: second[2] });
    expect(held.data!.review).toEqual({ status: 'PENDING', moderationReason: "held by the tenant's moderation policy: SOURCE_BURST", signals: ['SOURCE_BURST'] });
    expect((await run(REVIEW, { id: second[1] })).data!.review.status).toBe('PUBLISHED');
    // Another tenant's source of the same name has its own count.
    const other = as(['read', 'write'], 'tenant-source-burst-other');
    const theirs = (await run(`mutation { upsertProducts(input: { products: [{ sku: "SB-1", name: "Watch" }] }) { products { id } } }`, {}, other)).data!.upsertProducts.products[0].id as string;
    const elsewhere = await submit(Array.from({ length: 4 }, (_, i) => ({ ...from('partner:acme', i), productId: theirs })), other);
    expect(await signalsOf(elsewhere, other)).toEqual([[], [], [], []]);
  });

  it('does not count resubmissions of stored reviews (a retried batch), and costs one arrival block per call whatever the batch size', async () => {
    const before = await blocks();
    const stored = await submit([from('partner:retry', 1), from('partner:retry', 2)]);
    expect(await blocks()).toBe(before + 1);
    // The same batch again, twice: nothing new arrives, nothing is appended.
    expect(await submit([from('partner:retry', 1), from('partner:retry', 2)])).toEqual(stored);
    expect(await submit([from('partner:retry', 2), from('partner:retry', 1)])).toEqual([...stored].reverse());
    expect(await blocks()).toBe(before + 1);
    // Had the retries counted, this would be the 7th of the hour; it is the 3rd, within the limit.
    const third = await submit([from('partner:retry', 3)]);
    expect(await signalsOf(third)).toEqual([[]]);
    // A batch of 40 new reviews is one more block, and all after the limit are flagged.
    const many = await submit(Array.from({ length: 40 }, (_, i) => from('partner:retry', 100 + i)));
    expect(await blocks()).toBe(before + 3);
    expect((await signalsOf(many)).filter((s) => s.includes('SOURCE_BURST'))).toHaveLength(40);
  });

  it('counts two new reviews with the same text in one batch as two arrivals (the second is a near-duplicate, the first no resubmission)', async () => {
    const same = { rating: 4, text: 'Same words from a partner feed.', source: 'partner:twins' };
    const ids = await submit([{ ...same, productId: watch, externalId: 'tw-1' }, { ...same, productId: watch, externalId: 'tw-2' }, from('partner:twins', 3), from('partner:twins', 4)]);
    expect(await signalsOf(ids)).toEqual([[], ['NEAR_DUPLICATE'], [], ['SOURCE_BURST']]);
  });

  it('counts every review exactly once when two processes take in batches of one source at the same time', async () => {
    const batch = (offset: number) => Array.from({ length: 6 }, (_, i) => from('partner:race', offset + i));
    // Each process first learns where the chain ends, so both then try the same next block.
    const warm = await submit([from('partner:race', 0)], WRITER, server);
    await submit([from('partner:race', 1000)], WRITER, twin);
    const [a, b, c, d] = await Promise.all([submit(batch(10), WRITER, server), submit(batch(20), WRITER, twin), submit(batch(30), WRITER, server), submit(batch(40), WRITER, twin)]);
    const flagged = (await signalsOf([...warm, ...a!, ...b!, ...c!, ...d!])).filter((sig) => sig.includes('SOURCE_BURST')).length;
    // 26 reviews in all (with the twin's warm-up, the 2nd), 3 within the limit.
    expect(flagged).toBe(26 - 3);
    // Every (source, hour) chain of blocks is contiguous from 1: no arrival counted twice or skipped.
    const chain = await database.db.collection<{ _id: string; from: number; to: number; seq: number }>('source_arrivals').find({ tenantId: TENANT }).toArray();
    const byKey = new Map<string, typeof chain>();
    for (const blk of chain) byKey.set(blk._id.slice(0, blk._id.lastIndexOf('|')), [...(byKey.get(blk._id.slice(0, blk._id.lastIndexOf('|'))) ?? []), blk]);
    const ends = [...byKey.values()].map((blocksOfKey) => {
      blocksOfKey.sort((x, y) => x.seq - y.seq);
      blocksOfKey.forEach((blk, i) => expect([blk.seq, blk.from]).toEqual([i + 1, i === 0 ? 1 : blocksOfKey[i - 1]!.to + 1]));
      return blocksOfKey.at(-1)!.to;
    });
    expect(ends).toContain(26);
  });

  it('keeps one (source, hour) chain linear when appends of two repositories really run at once', async () => {
    const key = 'sa|concurrent-appends-test';
    const appends = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? server : twin).services.moderation.appendSourceArrivals(TENANT, [{ key, count: 1 + (i % 5) }], new Date()));
    const firsts = (await Promise.all(appends)).map((m) => m.get(key)!);
    const counts = Array.from({ length: 24 }, (_, i) => 1 + (i % 5));
    const ranges = firsts.map((f, i) => [f, f + counts[i]! - 1] as const).sort((x, y) => x[0] - y[0]);
    // Every append got its own range, and together they cover 1..total without a gap.
    ranges.forEach(([lo], i) => expect(lo).toBe(i === 0 ? 1 : ranges[i - 1]![1] + 1));
    expect(ranges.at(-1)![1]).toBe(counts.reduce((a, b) => a + b, 0));
  });

  it('keeps hostile input plain: operator strings are data, bad ratings and sources are still rejected per item', async () => {
    const result = await run(SUBMIT, { reviews: [
      { productId: watch, rating: 0, text: 'zero stars', source: 'partner:acme' },
      { productId: watch, rating: 6, text: 'six stars', source: 'partner:acme' },
      { productId: watch, rating: 4.5, text: 'half a star', source: 'partner:acme' },
      { productId: watch, rating: 4, text: 'a source with an operator', source: '{"$gt": ""}' },
      { productId: watch, rating: 4, text: '{"$ne": null} $where: function() { return true }', author: '{"$gt": ""}', externalId: '{"$regex": ".*"}', source: 'partner:plain' },
    ] });
    expect(result.data!.submitReviews.rejected).toEqual([
      { index: 0, field: 'rating', code: 'OUT_OF_RANGE' },
      { index: 1, field: 'rating', code: 'OUT_OF_RANGE' },
      { index: 2, field: 'rating', code: 'INVALID' },
      { index: 3, field: 'source', code: 'INVALID' },
    ]);
    const [plain] = result.data!.submitReviews.accepted as Array<{ id: string }>;
    const stored = await run(`query($id: ID!) { review(id: $id) { text author externalId signals status } }`, { id: plain!.id });
    expect(stored.data!.review).toEqual({ text: '{"$ne": null} $where: function() { return true }', author: '{"$gt": ""}', externalId: '{"$regex": ".*"}', signals: [], status: 'PUBLISHED' });
  });
});
