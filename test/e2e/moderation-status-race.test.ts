import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../lib/bus/index.js';
import type { Stack } from '../../lib/stack.js';
import type { ReviewTopics } from '../../lib/streams.js';
import { eventually, freshBus } from '../support/fixtures.js';
import { startTestStack } from '../support/stack.js';

const WRITER = 'race-writer-key-0123456789abcdefgh';
const READER = 'race-reader-key-0123456789abcdefgh';
const MODERATORS = ['race-moderator-key-a-0123456789ab', 'race-moderator-key-b-0123456789ab', 'race-moderator-key-c-0123456789ab'];
const STATUSES = ['PUBLISHED', 'PENDING', 'REJECTED'] as const;
const ROUNDS = 12;

let stack: Stack;
let topics: ReviewTopics;
let natsConnection: Parameters<typeof jetstream>[0];

async function gql(key: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

beforeAll(async () => {
  const fresh = await freshBus('statusrace');
  topics = fresh.topics;
  natsConnection = fresh.bus.connection;
  const namespace = topics.submitted.replace(/\.review\.submitted$/, '');
  const prefix = topics.stream.name.toLowerCase().replace(/_reviews$/, '');
  stack = await startTestStack('statusrace', {
    workers: 1,
    keys: [
      { key: WRITER, name: 'partner', tenantId: 'race', scopes: ['read', 'write'] },
      { key: READER, name: 'storefront', tenantId: 'race', scopes: ['read'] },
      ...MODERATORS.map((key, i) => ({ key, name: `moderator-${i}`, tenantId: 'race', scopes: ['read', 'moderate'] as Array<'read' | 'moderate'> })),
    ],
    env: { DB_PREFIX: prefix, BUS_NAMESPACE: namespace },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

interface Moderated { id: string; reviewId: string; status: string; previousStatus: string; moderation: number }

/** Every `review.moderated` event on the stream, as stored there. */
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
      const data = parsed.event.data as Omit<Moderated, 'id'>;
      events.push({ id: parsed.event.id, reviewId: data.reviewId, status: data.status, previousStatus: data.previousStatus, moderation: data.moderation });
    }
  }
  await reader.delete().catch(() => undefined);
  return events;
}

/** The whole change feed as `key` sees it, page by page. */
async function feed(key: string): Promise<Array<{ kind: string; reviewId: string; review: { id: string; status: string } | null }>> {
  const nodes = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await gql(key, `query($after: String) { reviewChanges(after: $after, first: 50) { edges { node { kind reviewId review { id status } } } pageInfo { hasNextPage endCursor } } }`, { after })).data!.reviewChanges;
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

describe('simultaneous status changes of one review', () => {
  it('make one change per number: the events chain, the feed and insights follow the stored status, with moderators racing each other and the sentiment hold', async () => {
    expect((await gql(MODERATORS[0]!, `mutation { setModerationPolicy(hold: [RATING_CONTRADICTS_SENTIMENT]) { hold } }`)).errors).toBeUndefined();
    const product = (await gql(WRITER, `mutation { upsertProducts(input: { products: [{ sku: "RACE-1", name: "Watch", category: "sport-watch" }] }) { products { id } } }`)).data!.upsertProducts.products[0].id as string;
    const submitted = await gql(WRITER, `mutation($r: [ReviewInput!]!) { submitReviews(input: { reviews: $r }) { accepted { id } rejected { index code } } }`, { r: [
      { productId: product, rating: 4, text: 'Good watch, the battery lasts for days.' },
      { productId: product, rating: 3, text: 'Fine strap, a little stiff at first.' },
      { productId: product, rating: 5, text: 'Lovely screen and a comfortable fit.' },
      // held by the sentiment consumer once analysed, while the moderators below flip it
      { productId: product, rating: 5, text: 'Terrible watch. The strap broke after two days, the battery died, and support never answered. Waste of money.' },
    ] });
    expect(submitted.data!.submitReviews.rejected).toEqual([]);
    const ids = submitted.data!.submitReviews.accepted.map((a: { id: string }) => a.id) as string[];

    // Several moderators flip the same reviews at once, each call naming all of them.
    let next = 0;
    const answers = await Promise.all(MODERATORS.flatMap((key) => Array.from({ length: ROUNDS }, async (_, round) => {
      const status = STATUSES[(next++ + round) % STATUSES.length]!;
      return gql(key, `mutation($ids: [ID!]!, $status: ReviewStatus!, $reason: String) { moderateReviews(ids: $ids, status: $status, reason: $reason) { moderated { id status } } }`, { ids, status, reason: status === 'REJECTED' ? `rejected by ${key.slice(19, 20)}` : null });
    })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    // The sentiment consumer has had its say too (the analysis of every review is done).
    await eventually(async () => {
      const reviews = await Promise.all(ids.map(async (id) => (await gql(WRITER, `query($id: ID!) { review(id: $id) { analysis { status } } }`, { id })).data?.review));
      return reviews.every((r) => r?.analysis?.status === 'DONE') ? true : undefined;
    }, 90_000, 'every review analysed');
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const stored = new Map<string, string>();
    for (const id of ids) stored.set(id, (await gql(WRITER, `query($id: ID!) { review(id: $id) { status } }`, { id })).data!.review.status);
    const published = ids.filter((id) => stored.get(id) === 'PUBLISHED');

    // Each review's events are its changes 1, 2, 3, ... each starting from the status the one before left, ending at the stored status.
    const events = await eventually(async () => {
      const all = await moderatedEvents();
      const done = ids.every((id) => { const own = all.filter((e) => e.reviewId === id).sort((a, b) => a.moderation - b.moderation); return (own.at(-1)?.status ?? 'PUBLISHED') === stored.get(id) || own.length === 0; });
      return done ? all : undefined;
    }, 30_000, 'the events of every stored change on the bus').catch(() => moderatedEvents());
    for (const id of ids) {
      const own = events.filter((e) => e.reviewId === id).sort((a, b) => a.moderation - b.moderation);
      expect(own.map((e) => e.moderation), `change numbers of ${id}`).toEqual(own.map((_, i) => i + 1));
      own.forEach((e, i) => {
        if (i > 0) expect(e.previousStatus, `change ${e.moderation} of ${id} starts where change ${i} ended`).toBe(own[i - 1]!.status);
        // a change keeps its status only for a new reason (the rejections here give several)
        if (e.status === e.previousStatus) expect(e.status, `change ${e.moderation} of ${id} changes something`).toBe('REJECTED');
      });
      expect(own.at(-1)?.status ?? 'PUBLISHED', `the last event of ${id} says its stored status`).toBe(stored.get(id));
    }

    // The change feed: one STATUS_CHANGED per event, and a replay gives the stored state, to a moderator and to a read-only key.
    const moderatorFeed = await feed(MODERATORS[1]!);
    for (const id of ids) {
      expect(moderatorFeed.filter((n) => n.reviewId === id && n.kind === 'STATUS_CHANGED').length, `status changes of ${id} in the feed`).toBe(events.filter((e) => e.reviewId === id).length);
    }
    const replay = (nodes: typeof moderatorFeed) => {
      const copy = new Map<string, string>();
      for (const n of nodes) { if (n.review) copy.set(n.reviewId, n.review.status); else copy.delete(n.reviewId); }
      return copy;
    };
    expect(replay(moderatorFeed)).toEqual(stored);
    expect([...replay(await feed(READER)).keys()].sort()).toEqual([...published].sort());

    // Insights count exactly the reviews stored as published.
    const insights = async () => (await gql(READER, `query($p: ID!) { product(id: $p) { insights { reviewCount } } }`, { p: product })).data?.product?.insights;
    const counted = await eventually(async () => { const i = await insights(); return i?.reviewCount === published.length ? i : undefined; }, 30_000, `insights counting ${published.length} published reviews`).catch(() => insights());
    expect(counted?.reviewCount).toBe(published.length);
  }, 240_000);
});
