// Edits and status changes of the same reviews at once, through the gateway: partners resubmit
// changed content while moderators flip statuses and the sentiment hold acts on each new revision.
// An edit changes content only, so whatever interleaving, the status the graph shows, the store's
// newest status change, the change feed and the `review.moderated` events on the bus agree.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../lib/bus/index.js';
import { connectDatabase, databaseName, type Database } from '../../lib/mongo.js';
import type { Stack } from '../../lib/stack.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { eventually, freshBus } from '../support/fixtures.js';
import { testInfra } from '../support/infra.js';
import { startTestStack } from '../support/stack.js';

const WRITERS = ['edit-race-writer-a-0123456789abcdef', 'edit-race-writer-b-0123456789abcdef'];
const MODERATORS = ['edit-race-moderator-a-0123456789ab', 'edit-race-moderator-b-0123456789ab'];
const STATUSES = ['PENDING', 'PUBLISHED', 'REJECTED'] as const;
const ROUNDS = 8;
/** Reviews, and the rounds of the last phase, in which each review's own edit and status change race alone. */
const REVIEWS = 24;
const LAST_ROUNDS = 2;
// Five stars on words like these contradict them: the tenant's policy holds such a revision once analysed.
const CONTRADICTING = 'Terrible watch. The strap broke, the battery died and support never answered. Waste of money.';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Stack;
let topics: ReviewTopics;
let natsConnection: Parameters<typeof jetstream>[0];
let store: Database;

async function gql(key: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

beforeAll(async () => {
  const fresh = await freshBus('editrace');
  topics = fresh.topics;
  natsConnection = fresh.bus.connection;
  const namespace = topics.submitted.replace(/\.review\.submitted$/, '');
  const prefix = topics.stream.name.toLowerCase().replace(/_reviews$/, '');
  stack = await startTestStack('editrace', {
    workers: 1,
    keys: [
      ...WRITERS.map((key, i) => ({ key, name: `partner-${i}`, tenantId: 'editrace', scopes: ['read', 'write'] as Array<'read' | 'write'> })),
      ...MODERATORS.map((key, i) => ({ key, name: `moderator-${i}`, tenantId: 'editrace', scopes: ['read', 'moderate'] as Array<'read' | 'moderate'> })),
    ],
    // the checks at the end poll the graph for a while: more than a partner's rate allows
    env: { DB_PREFIX: prefix, BUS_NAMESPACE: namespace, RATE_LIMIT_PER_MINUTE: '100000' },
  });
  store = await connectDatabase(testInfra().mongoUri, databaseName(prefix, 'collection'));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  await store?.close();
});

interface Moderated { reviewId: string; status: string; previousStatus: string; moderation: number }

/** Every `review.moderated` event on the stream. */
async function moderatedEvents(): Promise<Moderated[]> {
  const subject = topics.moderated;
  const jsm = await jetstreamManager(natsConnection);
  const expected = (await jsm.streams.info(topics.stream.name, { subjects_filter: subject })).state.subjects?.[subject] ?? 0;
  const events: Moderated[] = [];
  if (expected === 0) return events;
  const reader = await jetstream(natsConnection).consumers.get(topics.stream.name, { filter_subjects: [subject] });
  while (events.length < expected) {
    for await (const m of await reader.fetch({ max_messages: Math.min(expected - events.length, 1_000), expires: 2_000 })) {
      const parsed = parseEnvelope(m.data);
      if (!parsed.ok) throw new Error(parsed.reason);
      const data = parsed.event.data as Moderated;
      events.push({ reviewId: data.reviewId, status: data.status, previousStatus: data.previousStatus, moderation: data.moderation });
    }
  }
  await reader.delete().catch(() => undefined);
  return events;
}

async function feed(key: string): Promise<Array<{ kind: string; reviewId: string; review: { status: string; revision: number } | null }>> {
  const nodes = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await gql(key, `query($after: String) { reviewChanges(after: $after, first: 50) { edges { node { kind reviewId review { status revision } } } pageInfo { hasNextPage endCursor } } }`, { after })).data!.reviewChanges;
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** Waits until the reviews are analysed and neither their documents nor their status changes move any more. */
async function settled(ids: readonly string[]): Promise<void> {
  const snapshot = async () => {
    const graph = await Promise.all(ids.map(async (id) => (await gql(WRITERS[0]!, `query($id: ID!) { review(id: $id) { status revision analysis { status } } }`, { id })).data!.review));
    const docs = await store.db.collection('reviews').find({ _id: { $in: [...ids] } } as never).toArray();
    const changes = await store.db.collection('status_changes').find({ reviewId: { $in: [...ids] } }).toArray();
    return { graph, docs, changes };
  };
  let last = '';
  let stable = 0;
  await eventually(async () => {
    const now = await snapshot();
    const key = JSON.stringify(now);
    stable = key === last ? stable + 1 : 0;
    last = key;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return stable >= 3 && now.graph.every((r: any) => r.analysis?.status === 'DONE') ? true : undefined;
  }, 120_000, 'statuses and analyses at rest');
}

/** Where the graph, the store's newest status change, the bus and the feed disagree on a review's status. */
async function disagreements(ids: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const changes = await store.db.collection<{ reviewId: string; moderation: number; status: string }>('status_changes').find({ reviewId: { $in: [...ids] } }).toArray();
  const docs = await store.db.collection<{ _id: string; moderation?: number; status?: string }>('reviews').find({ _id: { $in: [...ids] } }).toArray();
  const events = await moderatedEvents();
  const replay = new Map((await feed(MODERATORS[1]!)).map((n) => [n.reviewId, n.review?.status]));
  for (const id of ids) {
    const own = changes.filter((c) => c.reviewId === id).sort((a, b) => a.moderation - b.moderation);
    const newest = { moderation: own.at(-1)?.moderation ?? 0, status: own.at(-1)?.status ?? 'PUBLISHED' };
    const doc = docs.find((d) => d._id === id);
    const graph = (await gql(WRITERS[0]!, `query($id: ID!) { review(id: $id) { status } }`, { id })).data?.review?.status;
    const onBus = events.filter((e) => e.reviewId === id).sort((a, b) => a.moderation - b.moderation);
    if (doc?.moderation !== (newest.moderation || undefined) || doc?.status !== newest.status) found.push(`${id}: the document shows change ${doc?.moderation ?? 0} (${doc?.status}), the newest stored is ${newest.moderation} (${newest.status})`);
    if (graph !== newest.status) found.push(`${id}: the graph says ${graph}, the newest change ${newest.status}`);
    if (onBus.map((e) => e.moderation).join() !== own.map((c) => c.moderation).join()) found.push(`${id}: changes ${own.map((c) => c.moderation).join()} stored, ${onBus.map((e) => e.moderation).join()} on the bus`);
    if ((onBus.at(-1)?.status ?? 'PUBLISHED') !== newest.status) found.push(`${id}: the last event says ${onBus.at(-1)?.status}, the newest change ${newest.status}`);
    if (replay.get(id) !== newest.status) found.push(`${id}: the feed replayed says ${replay.get(id)}, the newest change ${newest.status}`);
  }
  return found;
}

describe('edits and status changes of the same reviews at once', () => {
  it('never bring an older status back: the graph, the store\'s newest status change, the feed and the bus agree', async () => {
    expect((await gql(MODERATORS[0]!, `mutation { setModerationPolicy(hold: [RATING_CONTRADICTS_SENTIMENT]) { hold } }`)).errors).toBeUndefined();
    const product = (await gql(WRITERS[0]!, `mutation { upsertProducts(input: { products: [{ sku: "EDIT-RACE-1", name: "Watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const numbers = Array.from({ length: REVIEWS }, (_, n) => n);
    const review = (n: number, text: string) => ({ productId: product, rating: 5, text, source: 'partner:editrace', externalId: `ER-${n}`, createdAt: '2026-11-01T08:00:00Z' });
    const submitted = await gql(WRITERS[0]!, `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code } } }`, { r: numbers.map((n) => review(n, `Lovely watch number ${n}, the screen is bright.`)) });
    expect(submitted.data!.submitReviews.rejected).toEqual([]);
    const ids = submitted.data!.submitReviews.accepted.map((a: { id: string }) => a.id) as string[];

    // Partners edit every review each round (every other revision contradicting its stars), while moderators flip them.
    const edits = WRITERS.flatMap((key, w) => Array.from({ length: ROUNDS }, (_, round) => gql(key, `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`, {
      r: numbers.map((n) => review(n, (round + w) % 2 === 0 ? `${CONTRADICTING} (${w}.${round})` : `Lovely watch number ${n}, edit ${w}.${round}: the screen is bright.`)),
    })));
    const moderations = MODERATORS.flatMap((key, m) => Array.from({ length: ROUNDS }, (_, round) => {
      const status = STATUSES[(round + m) % STATUSES.length]!;
      return gql(key, `mutation($ids: [ID!]!, $status: ReviewStatus!, $reason: String) { moderateReviews(ids: $ids, status: $status, reason: $reason) { moderated { id } } }`, { ids, status, reason: status === 'REJECTED' ? `rejected in round ${round}` : null });
    }));
    const answers = await Promise.all([...edits, ...moderations]);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    for (const answer of answers.slice(0, edits.length)) expect(answer.data!.submitReviews.rejected).toEqual([]);

    // Last, one call edits every review (with new reviews beside them, which keep it longer between
    // reading the reviews and writing their edits) while each review gets a status change of its own,
    // set off at staggered times so some land in the middle of it. Nothing changes a status after
    // that (these texts agree with their stars), so a status the edit wrote back would stay.
    for (let round = 0; round < LAST_ROUNDS; round++) {
      const fresh = Array.from({ length: 50 }, (_, i) => ({ productId: product, rating: 4, text: `Another owner, round ${round}, number ${i}: comfortable strap.` }));
      const edit = gql(WRITERS[round % WRITERS.length]!, `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code message } } }`, {
        r: [...numbers.map((n) => review(n, `Lovely watch number ${n}, last edit ${round}: the screen is bright.`)), ...fresh],
      });
      const statusChanges = ids.map((id, n) => {
        const status = STATUSES[(round + n) % STATUSES.length]!;
        return sleep((n * 37 + round * 53) % 400).then(() => gql(MODERATORS[n % MODERATORS.length]!, `mutation($ids: [ID!]!, $status: ReviewStatus!, $reason: String) { moderateReviews(ids: $ids, status: $status, reason: $reason) { moderated { id } } }`, { ids: [id], status, reason: status === 'REJECTED' ? `rejected at last ${round}` : null }));
      });
      const last = await Promise.all([edit, ...statusChanges]);
      for (const answer of last) expect(answer.errors).toBeUndefined();
      expect(last[0]!.data!.submitReviews.rejected).toEqual([]);
    }

    await settled(ids);
    // At rest, each review's state agrees everywhere (looked at again while an event or a hold is still on its way).
    let mismatches: string[] = [];
    await eventually(async () => {
      mismatches = await disagreements(ids);
      if (mismatches.length === 0) return true;
      await sleep(1_000);
      return undefined;
    }, 60_000, 'agreement').catch(() => undefined);
    expect(mismatches).toEqual([]);
    const revisions = await Promise.all(ids.map(async (id) => (await gql(WRITERS[0]!, `query($id: ID!) { review(id: $id) { revision } }`, { id })).data!.review.revision));
    for (const revision of revisions) expect(revision).toBe(1 + WRITERS.length * ROUNDS + LAST_ROUNDS);
  }, 300_000);
});
