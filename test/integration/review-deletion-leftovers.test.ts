// What deleteReviews leaves of a moderated, edited review: only what the deletion itself needs
// (the change feed's entries, which tell partners of it, and the tombstone that gives a
// resubmission a new id); no status change, revision, list entry, text fingerprint or word of it
// (its edited-away text's fingerprint went with the edit). Its status changes go by `_id` range, served by the index.
import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../subgraphs/collection/src/server.js';
import { sweepOutbox } from '../../subgraphs/collection/src/services/outbox-sweeper.js';
import { monitoredDatabase } from '../support/command-plans.js';
import type { InternalContext } from '../../lib/internal-context.js';
import { freshBus, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let database: Awaited<ReturnType<typeof monitoredDatabase>>;
let server: Server;
let productId: string;

const moderator: InternalContext = { tenantId: 'tenant-a', scopes: ['read', 'write', 'moderate'], requestId: 'deletion-test', keyId: null };

async function run(query: string, variables: Record<string, unknown> = {}) {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(moderator) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const result = response.body.singleResult as { data?: Record<string, any> | null; errors?: Array<{ message: string }> };
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const SUBMIT = `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id revision } rejected { index code } } }`;
const MODERATE = `mutation($ids: [ID!]!, $status: ReviewStatus!, $reason: String) { moderateReviews(ids: $ids, status: $status, reason: $reason) { moderated { id status } } }`;

/** Every document of the collection subgraph's database that names `needle`, by collection. */
async function documentsNaming(needles: readonly string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const { name } of await database.db.listCollections({}, { nameOnly: true }).toArray()) {
    for (const doc of await database.db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      if (needles.some((n) => text.includes(n))) found[name] = (found[name] ?? 0) + 1;
    }
  }
  return found;
}

beforeAll(async () => {
  database = await monitoredDatabase('deletion_leftovers');
  const { bus, topics } = await freshBus('deletion_leftovers');
  server = await createServer({ database, publisher: bus, topics, log: silentLog, internalSecret: TEST_SECRET });
  productId = (await run(`mutation { upsertProducts(input: { products: [{ sku: "DEL-1", name: "Deleted watch" }] }) { products { id } } }`)).upsertProducts.products[0].id;
});

describe('deleteReviews', () => {
  it('leaves no status change, revision or word of a deleted review, reading and deleting its status changes through the _id index', async () => {
    const texts = ['The dial glows nicely at night, tested 41.', 'Changed my mind: the dial fades within an hour, tested 41.'];
    const base = { productId, rating: 4, source: 'partner:deletion', createdAt: '2026-11-20T10:00:00Z' };
    const submitted = (await run(SUBMIT, { r: [{ ...base, text: texts[0], externalId: 'D-1' }, { ...base, text: 'A keeper: solid case.', externalId: 'D-2' }] })).submitReviews;
    expect(submitted.rejected).toEqual([]);
    const [doomed, kept] = submitted.accepted.map((a: { id: string }) => a.id) as [string, string];

    // status changes before and after an edit, and one of the review that stays
    await run(MODERATE, { ids: [doomed], status: 'REJECTED', reason: 'off topic' });
    await run(MODERATE, { ids: [doomed, kept], status: 'PENDING' });
    expect((await run(SUBMIT, { r: [{ ...base, rating: 2, text: texts[1], externalId: 'D-1' }] })).submitReviews.accepted).toEqual([{ id: doomed, revision: 2 }]);
    await run(MODERATE, { ids: [doomed], status: 'PUBLISHED' });
    const statusChanges = () => database.db.collection('status_changes').countDocuments({ reviewId: { $in: [doomed, kept] } });
    expect(await statusChanges()).toBe(4);

    const commands = await database.commandsDuring(async () => {
      expect((await run(`mutation($ids: [ID!]!) { deleteReviews(ids: $ids) { deleted pending } }`, { ids: [doomed] })).deleteReviews).toEqual({ deleted: [doomed], pending: [] });
    });
    const onStatusChanges = commands.filter((c) => c.collection === 'status_changes');
    expect(onStatusChanges.map((c) => c.command)).toContain('delete');
    expect(onStatusChanges.filter((c) => !c.indexed).map((c) => `${c.command} ${JSON.stringify(c.filter)}: ${c.plan}`)).toEqual([]);

    // the kept review's change is still there, the deleted one's are gone
    expect(await database.db.collection('status_changes').find({}).map((c) => c.reviewId as string).toArray()).toEqual([kept]);
    // the outbox's schedule settles once the sweeper looked at it again (later), as after any publication
    await sweepOutbox(server.services, { olderThanMs: 30_000 }, new Date(Date.now() + 20 * 60_000));
    expect(await documentsNaming([doomed])).toEqual({ review_changes: 6, review_tombstones: 1 });
    expect(await documentsNaming(texts)).toEqual({});
    expect((await run(`query($id: ID!) { review(id: $id) { id } }`, { id: kept })).review).toEqual({ id: kept });
  });
});
