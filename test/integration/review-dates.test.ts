// Review dates through the collection subgraph: only real calendar dates are stored; an impossible
// one (2026-02-31, which Date.parse turns into 2026-03-03) rejects the item, naming the field.
import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { caller, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let server: Server;
let productId: string;

async function run(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Record<string, any>; errors?: unknown[] }> {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as never;
}

const SUBMIT = `mutation($reviews: [ReviewInput!]!) { submitReviews(input: { reviews: $reviews }) { accepted { index id } rejected { index field code message } } }`;

beforeAll(async () => {
  const database = await freshDatabase('review_dates');
  const { bus, topics } = await freshBus('review_dates');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  const result = await run(`mutation { upsertProducts(input: { products: [{ sku: "DT-1", name: "Date watch", category: "sport-watch" }] }) { products { id } } }`);
  productId = result.data!.upsertProducts.products[0].id;
});

describe('review createdAt', () => {
  const impossible = [
    '2026-02-31', '2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00',
    '2026-02-31T10:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '2026-01-01T10:00:00+25:00',
  ];
  const malformed = [
    '+002026-01-01', '2026-1-1', '2026-01-01 10:00:00Z', '２０２６-01-01', '2026-01-01T10:00:00', '2026-01-01T10:00:00z',
    '1767225600000', 'Infinity', '2026-01-01\u0000', ' 2026-01-01T10:00:00Z; DROP', `2026-01-01T10:00:00.${'1'.repeat(100_000)}Z`, 'last tuesday',
  ];

  it('rejects impossible and malformed dates item by item, naming createdAt, and stores none of them', async () => {
    const hostile = [...impossible, ...malformed];
    const result = await run(SUBMIT, { reviews: hostile.map((createdAt) => ({ productId, rating: 4, text: 'Fine watch.', createdAt })) });
    const { accepted, rejected } = result.data!.submitReviews;
    expect(result.errors).toBeUndefined();
    expect(accepted).toEqual([]);
    expect(rejected.map((r: { index: number; field: string; code: string }) => [r.index, r.field, r.code])).toEqual(hostile.map((_, index) => [index, 'createdAt', 'INVALID']));
    expect(rejected[0].message).toMatch(/createdAt "2026-02-31" is not a real ISO-8601 date/);
    expect(Math.max(...rejected.map((r: { message: string }) => r.message.length))).toBeLessThan(200);
  });

  it('stores real dates as given: leap days, dates alone, minutes, fractions and offsets', async () => {
    const valid: Array<[string, string]> = [
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['2026-02-28', '2026-02-28T00:00:00.000Z'],
      ['2000-02-29', '2000-02-29T00:00:00.000Z'],
      ['2026-01-31T23:59:59Z', '2026-01-31T23:59:59.000Z'],
      ['2026-01-01T10:00Z', '2026-01-01T10:00:00.000Z'],
      ['2026-01-01T10:00:00.123+02:00', '2026-01-01T08:00:00.123Z'],
    ];
    const result = await run(SUBMIT, { reviews: valid.map(([createdAt]) => ({ productId, rating: 5, text: 'Great watch.', createdAt })) });
    expect(result.data!.submitReviews.rejected).toEqual([]);
    const ids = result.data!.submitReviews.accepted.map((a: { id: string }) => a.id);
    for (const [i, id] of ids.entries()) {
      const stored = await run(`query($id: ID!) { review(id: $id) { createdAt } }`, { id });
      expect(stored.data!.review.createdAt).toBe(valid[i]![1]);
    }
  });
});
