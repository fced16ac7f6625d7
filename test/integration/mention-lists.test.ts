import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../lib/mongo.js';
import { mentionKeys } from '../../subgraphs/analysis/src/models/analysis.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import type { MentionSetDocument } from '../../subgraphs/analysis/src/repositories/mention-repository.js';
import { createServer } from '../../subgraphs/analysis/src/server.js';
import { caller, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let database: Database;
let server: Server;
const PRODUCT = 'prd_0123456789abcdef0123abcd';
const OTHER = 'prd_0123456789abcdef0123ffff';
const MENTIONING = `query($r: [_Any!]!, $aspect: String!, $polarity: Polarity, $first: Int, $after: String) { _entities(representations: $r) { ... on Product {
  reviewsMentioning(aspect: $aspect, polarity: $polarity, first: $first, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } }`;

async function mentioning(args: Record<string, unknown>, product = PRODUCT, tenant = 'tenant-a') {
  const response = await server.apollo.executeOperation(
    { query: MENTIONING, variables: { r: [{ __typename: 'Product', id: product }], aspect: 'battery', ...args } },
    { contextValue: server.contextFor(caller(tenant)) },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const result = response.body.singleResult as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { connection: result.data?._entities?.[0]?.reviewsMentioning as { edges: Array<{ cursor: string; node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined, errors: result.errors };
}

async function readAll(args: Record<string, unknown>, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const { connection, errors } = await mentioning({ ...args, first, after });
    expect(errors).toBeUndefined();
    ids.push(...connection!.edges.map((e) => e.node.id));
    if (!connection!.pageInfo.hasNextPage) break;
    after = connection!.pageInfo.endCursor;
  }
  return ids;
}

const reviewId = (i: number) => `rev_${i.toString(16).padStart(24, 'b')}`;
const at = (i: number) => new Date(Date.parse('2026-05-01T00:00:00Z') + Math.floor(i / 3) * 1_000);
const set = (i: number, polarity: 'POSITIVE' | 'NEGATIVE', revision = 1, when = at(i)): MentionSetDocument => ({
  _id: reviewId(i),
  tenantId: 'tenant-a',
  keys: mentionKeys(PRODUCT, [{ aspect: 'battery', polarity }, { aspect: 'gps signal', polarity: 'POSITIVE' }]),
  analyzedAt: when,
  revision,
});

beforeAll(async () => {
  database = await freshDatabase('mentions');
  server = await createServer({ database, analyzer: await createAnalyzer(), log: silentLog, internalSecret: TEST_SECRET });
  await server.services.mentions.addFirst(Array.from({ length: 45 }, (_, i) => set(i, i % 3 === 0 ? 'NEGATIVE' : 'POSITIVE')));
}, 60_000);

describe('reviewsMentioning, read from its keyed list', () => {
  it('pages newest analysed first, ties by id, each review once, per polarity and for any', async () => {
    const newest = (ids: number[]) => ids.sort((a, b) => at(b).getTime() - at(a).getTime() || (reviewId(b) < reviewId(a) ? -1 : 1)).map(reviewId);
    const all = Array.from({ length: 45 }, (_, i) => i);
    expect(await readAll({}, 7)).toEqual(newest([...all]));
    expect(await readAll({ polarity: 'NEGATIVE' }, 4)).toEqual(newest(all.filter((i) => i % 3 === 0)));
    expect(await readAll({ aspect: 'GPS signal', polarity: 'POSITIVE' }, 100)).toEqual(newest([...all]));
    expect(await readAll({ aspect: 'strap' }, 10)).toEqual([]);
    expect(await readAll({ aspect: '{ "$gt": "" }' }, 10)).toEqual([]);
  });

  it('follows re-analysis: a replaced set leaves its old lists, shows once in its new ones, and never in another tenant’s', async () => {
    // review 0 turns positive (revision 2, analysed later); review 3 gets an older revision, which must not win
    await server.services.mentions.replaceMany([set(0, 'POSITIVE', 2, new Date('2026-07-01T00:00:00Z')), set(3, 'POSITIVE', 0)]);
    const negative = await readAll({ polarity: 'NEGATIVE' }, 100);
    expect(negative).not.toContain(reviewId(0));
    expect(negative).toContain(reviewId(3));
    const positive = await readAll({ polarity: 'POSITIVE' }, 5);
    expect(positive[0]).toBe(reviewId(0));
    expect(positive.filter((id) => id === reviewId(0))).toHaveLength(1);
    expect(positive).not.toContain(reviewId(3));
    const { connection } = await mentioning({ first: 100 }, PRODUCT, 'tenant-b');
    expect(connection!.edges).toEqual([]);
  });

  it('refuses cursors of another aspect, polarity, product or tenant, and malformed ones', async () => {
    const { connection } = await mentioning({ first: 2 });
    const cursor = connection!.pageInfo.endCursor!;
    const refused = async (args: Record<string, unknown>, product = PRODUCT, tenant = 'tenant-a') => {
      const { errors } = await mentioning(args, product, tenant);
      expect(errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
    };
    await refused({ after: cursor, polarity: 'NEGATIVE' });
    await refused({ after: cursor, aspect: 'gps signal' });
    await refused({ after: cursor }, OTHER);
    await refused({ after: cursor }, PRODUCT, 'tenant-b');
    await refused({ after: cursor.slice(0, -6) });
    await refused({ after: 'x'.repeat(5_000) });
    await refused({ first: -5 });
    expect((await mentioning({ first: 0 })).connection!.edges).toEqual([]);
    expect((await mentioning({ first: 10_000 })).connection!.edges).toHaveLength(45);
  });
});
