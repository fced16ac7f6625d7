import { jetstreamManager } from '@nats-io/jetstream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { newEvent, type Bus } from '../../lib/bus/index.js';
import type { Database } from '../../lib/mongo.js';
import type { ReviewTopics } from '../../lib/streams.js';
import type { ReviewToAnalyse } from '../../subgraphs/analysis/src/models/analysis.js';
import { createAnalyzer, type Analyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { createServer } from '../../subgraphs/analysis/src/server.js';
import { startAnalysisConsumer } from '../../subgraphs/analysis/src/services/analysis-consumer.js';
import { requestReanalysis } from '../../subgraphs/analysis/src/services/reanalysis.js';
import { analyseBatch, removeAnalyses, type AnalyserDeps } from '../../subgraphs/analysis/src/services/review-analyser.js';
import { caller, eventually, freshBus, freshDatabase, silentLog, TEST_SECRET } from '../support/fixtures.js';

type Server = Awaited<ReturnType<typeof createServer>>;
let database: Database;
let server: Server;
let bus: Bus;
let topics: ReviewTopics;
let analyzer: Analyzer;
let deps: AnalyserDeps;
const PRODUCT = 'prd_0123456789abcdef01234567';

async function run(query: string, variables: Record<string, unknown> = {}) {
  const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller()) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function subjectCount(subject: string): Promise<number> {
  const jsm = await jetstreamManager(bus.connection);
  const info = await jsm.streams.info(topics.stream.name, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

const item = (reviewId: string, text: string): ReviewToAnalyse => ({ reviewId, tenantId: 'tenant-a', productId: PRODUCT, productCategory: 'sport-watch', text, locale: 'en-US', createdAt: '2026-01-01T00:00:00.000Z' });

beforeAll(async () => {
  database = await freshDatabase('analysis');
  ({ bus, topics } = await freshBus('analysis'));
  analyzer = await createAnalyzer();
  server = await createServer({ database, analyzer, log: silentLog, internalSecret: TEST_SECRET });
  deps = { analyses: server.services.analyses, mentions: server.services.mentions, taxonomies: server.services.taxonomies, analyzer, publisher: bus, topics, log: silentLog };
});

describe('analysing reviews', () => {
  it('stores one analysis per review, indexes its aspects, and publishes review.analyzed once even when redelivered', async () => {
    const batch = [
      item('rev_a00000000000000000000001', 'The battery life is excellent and the GPS is accurate.'),
      item('rev_a00000000000000000000002', 'The battery died after two hours. Terrible.'),
    ];
    expect(await analyseBatch(deps, batch)).toEqual([undefined, undefined]);
    expect(await subjectCount(topics.analyzed)).toBe(2);
    expect(await analyseBatch(deps, batch)).toEqual([undefined, undefined]);
    expect(await subjectCount(topics.analyzed)).toBe(2);
    const docs = await database.db.collection('analyses').find({}).toArray();
    expect(docs.map((d) => [d._id, d.revision, d.status])).toEqual([
      ['rev_a00000000000000000000001', 1, 'DONE'],
      ['rev_a00000000000000000000002', 1, 'DONE'],
    ]);
    expect(docs[0]!.sentiment.label).toBe('POSITIVE');
    expect(docs[1]!.sentiment.label).toBe('NEGATIVE');

    const mentioning = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { reviewsMentioning(aspect: "battery", polarity: NEGATIVE) { edges { node { id } } } } } }`, { r: [{ __typename: 'Product', id: PRODUCT }] });
    expect(mentioning.data!._entities[0].reviewsMentioning.edges).toEqual([{ node: { id: 'rev_a00000000000000000000002' } }]);
  });

  it('resolves Review _entities with their analysis in one batched load, PENDING for unseen reviews', async () => {
    const load = vi.spyOn(server.services.analyses, 'findByIds');
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { id analysis { status sentiment { label score } aspects { aspect polarity span { start end text } } modelVersion } } } }`, {
      r: ['rev_a00000000000000000000001', 'rev_a00000000000000000000002', 'rev_unseen'].map((id) => ({ __typename: 'Review', id })),
    });
    const [first, , unseen] = result.data!._entities;
    expect(first.analysis.status).toBe('DONE');
    expect(first.analysis.modelVersion).toBe(analyzer.modelVersion);
    const battery = first.analysis.aspects.find((a: { aspect: string }) => a.aspect === 'battery');
    expect(battery.polarity).toBe('POSITIVE');
    expect('The battery life is excellent and the GPS is accurate.'.slice(battery.span.start, battery.span.end)).toBe(battery.span.text);
    expect(unseen.analysis).toMatchObject({ status: 'PENDING', sentiment: null, aspects: [] });
    expect(load).toHaveBeenCalledTimes(1);
    load.mockRestore();
  });

  it('reads an analysis stored in the earlier layout, with its aspects as fields of their own', async () => {
    const text = 'Strong battery.';
    const aspects = [{ start: 7, end: 14, text: 'battery', term: 'battery', aspect: 'battery', polarity: 'POSITIVE', score: 0.9, snippet: text }];
    await database.db.collection('analyses').insertOne({
      _id: 'rev_l00000000000000000000001' as never, tenantId: 'tenant-a', productId: PRODUCT, productCategory: 'sport-watch', text, locale: 'en-US', reviewCreatedAt: new Date(),
      status: 'DONE', statusReason: null, sentiment: { label: 'POSITIVE', score: 0.8 }, aspects, language: 'en', languageConfidence: 0.9, keyphrases: ['strong battery'], evidence: [],
      modelVersion: analyzer.modelVersion, analyzedAt: new Date(), revision: 1, previousLabel: null,
    });
    const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { analysis { status keyphrases aspects { aspect polarity span { start end text } } } } } }`, { r: [{ __typename: 'Review', id: 'rev_l00000000000000000000001' }] });
    expect(result.data!._entities[0].analysis).toEqual({ status: 'DONE', keyphrases: ['strong battery'], aspects: [{ aspect: 'battery', polarity: 'POSITIVE', span: { start: 7, end: 14, text: 'battery' } }] });
  });

  it('answers analyzeText synchronously and refuses texts over 5,000 characters', async () => {
    const ok = await run(`{ analyzeText(text: "Comfortable strap, but the screen could be better.") { status sentiment { label } aspects { aspect } } }`);
    expect(ok.data!.analyzeText.status).toBe('DONE');
    const tooLong = await run(`query($t: String!) { analyzeText(text: $t) { status } }`, { t: 'a'.repeat(5_001) });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('deleted reviews', () => {
  it('turns the analysis into a tombstone, drops its mentions, and ignores later events for the review', async () => {
    const review = item('rev_d00000000000000000000001', 'The battery died within a day. Awful battery.');
    await analyseBatch(deps, [review]);
    const before = await database.db.collection('analyses').findOne({ _id: review.reviewId as never });
    expect(before!.sentiment.label).toBe('NEGATIVE');
    const negativeBattery = async () => {
      const result = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { reviewsMentioning(aspect: "battery", polarity: NEGATIVE, first: 100) { edges { node { id } } } } } }`, { r: [{ __typename: 'Product', id: PRODUCT }] });
      return result.data!._entities[0].reviewsMentioning.edges.map((e: { node: { id: string } }) => e.node.id);
    };
    expect(await negativeBattery()).toContain(review.reviewId);
    const analyzedBefore = await subjectCount(topics.analyzed);

    expect(await removeAnalyses(deps, [{ tenantId: 'tenant-a', reviewId: review.reviewId, productId: PRODUCT }])).toEqual([undefined]);
    const tomb = (await server.services.analyses.findByIds('tenant-a', [review.reviewId])).get(review.reviewId);
    expect(tomb).toMatchObject({ status: 'DELETED', revision: 2, previousLabel: 'NEGATIVE', text: '', aspects: [] });
    expect(await negativeBattery()).not.toContain(review.reviewId);
    expect(await database.db.collection('mention_sets').findOne({ _id: review.reviewId as never })).toMatchObject({ keys: [], revision: 2 });
    expect(await subjectCount(topics.analyzed)).toBe(analyzedBefore + 1);

    // A redelivered or late review.submitted for the deleted review: defined outcome, nothing revived.
    expect(await analyseBatch(deps, [review])).toEqual([undefined]);
    expect(await database.db.collection('analyses').findOne({ _id: review.reviewId as never })).toMatchObject({ status: 'DELETED', revision: 2 });
    expect(await subjectCount(topics.analyzed)).toBe(analyzedBefore + 1);

    // A deletion that arrives before any analysis leaves a tombstone, so the analysis never appears.
    const early = item('rev_d00000000000000000000002', 'Great watch.');
    await removeAnalyses(deps, [{ tenantId: 'tenant-a', reviewId: early.reviewId, productId: PRODUCT }]);
    await analyseBatch(deps, [early]);
    expect(await database.db.collection('analyses').findOne({ _id: early.reviewId as never })).toMatchObject({ status: 'DELETED', revision: 1 });
  });
});

describe('the mention index', () => {
  it('keeps the keys of the newest revision when an older revision is written after it', async () => {
    const mentions = server.services.mentions;
    const set = (revision: number, keys: string[]) => ({ _id: 'rev_m00000000000000000000001', tenantId: 'tenant-a', keys, analyzedAt: new Date(), revision });
    await mentions.replaceMany([set(3, ['p|battery|NEGATIVE'])]);
    await mentions.replaceMany([set(2, ['p|battery|POSITIVE'])]);
    expect(await mentions.collection.findOne({ _id: 'rev_m00000000000000000000001' })).toMatchObject({ revision: 3, keys: ['p|battery|NEGATIVE'] });
    await mentions.replaceMany([set(4, [])]);
    expect(await mentions.collection.findOne({ _id: 'rev_m00000000000000000000001' })).toMatchObject({ revision: 4, keys: [] });
  });
});

describe('the analysis worker on the bus', () => {
  it('gives hostile texts a defined status, dead-letters a malformed message, and keeps the rest flowing', async () => {
    const consumer = await startAnalysisConsumer(bus, deps, { batchSize: 16, maxDeliver: 2, backoffMs: [100] });
    const texts: Record<string, string> = {
      rev_b00000000000000000000001: '',
      rev_b00000000000000000000002: '😀😀🔥👍',
      rev_b00000000000000000000003: `${'The battery lasts all week. '.repeat(740)}`.slice(0, 20_000),
      rev_b00000000000000000000004: '<p>Great <b>GPS</b> watch</p><script>alert(1)</script>',
      rev_b00000000000000000000005: 'Good\u0000 watch\u0007 with\u001b[31m strong battery',
      rev_b00000000000000000000006: 'Battery \ud800 is fine \udfff overall',
      rev_b00000000000000000000007: 'Die Uhr ist wirklich großartig, der Akku hält eine Woche und das Display ist sehr hell.',
      rev_b00000000000000000000008: 'Accurate GPS, comfortable strap, 正確なGPS, очень удобно.',
    };
    const events = Object.entries(texts).map(([reviewId, text]) => ({ subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { ...item(reviewId, text), tenantId: undefined }) }));
    const poison = { subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { reviewId: 'rev_poison', productId: PRODUCT }) };
    await bus.publishMany([poison, ...events]);
    try {
      const docs = await eventually(async () => {
        const found = await server.services.analyses.findByIds('tenant-a', Object.keys(texts));
        return found.size === events.length ? found : undefined;
      }, 60_000, 'all hostile reviews analysed');
      const status = (id: string) => docs.get(id)!.status;
      expect(status('rev_b00000000000000000000001')).toBe('NO_TEXT');
      expect(['NO_TEXT', 'DONE']).toContain(status('rev_b00000000000000000000002'));
      expect(status('rev_b00000000000000000000003')).toBe('DONE');
      expect(status('rev_b00000000000000000000004')).toBe('DONE');
      expect(status('rev_b00000000000000000000005')).toBe('DONE');
      expect(status('rev_b00000000000000000000006')).toBe('DONE');
      expect(docs.get('rev_b00000000000000000000007')).toMatchObject({ status: 'UNSUPPORTED_LANGUAGE', language: 'de', sentiment: null, aspects: [] });
      expect(docs.get('rev_b00000000000000000000007')!.statusReason).toBeTruthy();
      expect(status('rev_b00000000000000000000008')).toBeDefined();
      const dead = await eventually(async () => (await bus.deadLetters(topics.stream.name)).find((d) => d.event?.data && (d.event.data as { reviewId?: string }).reviewId === 'rev_poison'), 20_000, 'poison message dead-lettered');
      expect(dead.reason).toMatch(/text/);
    } finally {
      await consumer.stop();
    }
  });
});

describe('engine failures', () => {
  it('retries a review the engine fails on, then dead-letters it with the reason, storing no result for it', async () => {
    // Terms whose iteration throws: the real engine fails inside its own code (extending the taxonomy)
    // for reviews of this category only, as a corrupt model or an engine bug would.
    const corrupt = Object.assign(['band'], { [Symbol.iterator]: () => { throw new Error('tagger table corrupt'); } });
    const taxonomies: AnalyserDeps['taxonomies'] = {
      extensionsFor: async (tenantId, category) => (category === 'exploding-watch' ? { strap: corrupt } : deps.taxonomies.extensionsFor(tenantId, category)),
    };
    const consumer = await startAnalysisConsumer(bus, { ...deps, taxonomies }, { batchSize: 16, maxDeliver: 3, backoffMs: [100] });
    const failing = { ...item('rev_c00000000000000000000001', 'The strap broke after a week.'), productCategory: 'exploding-watch' };
    const healthy = item('rev_c00000000000000000000002', 'The strap is comfortable and the battery lasts.');
    await bus.publishMany([failing, healthy].map((review) => ({ subject: topics.submitted, event: newEvent('review.submitted', 'tenant-a', { ...review, tenantId: undefined }) })));
    try {
      const dead = await eventually(async () => (await bus.deadLetters(topics.stream.name)).find((d) => (d.event?.data as { reviewId?: string } | undefined)?.reviewId === failing.reviewId), 30_000, 'engine failure dead-lettered');
      expect(dead.reason).toBe('analysis engine failed: tagger table corrupt');
      expect(dead.deliveries).toBe(3);
      const stored = await server.services.analyses.findByIds('tenant-a', [failing.reviewId, healthy.reviewId]);
      expect(stored.has(failing.reviewId)).toBe(false);
      expect(stored.get(healthy.reviewId)?.status).toBe('DONE');
      const analysis = await run(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Review { analysis { status } } } }`, { r: [{ __typename: 'Review', id: failing.reviewId }] });
      expect(analysis.data!._entities[0].analysis.status).toBe('PENDING');
    } finally {
      await consumer.stop();
    }
  });
});

describe('re-analysis with a newer model', () => {
  it('re-analyses every older result once, in the background, as a new revision that downstream can move counts with', async () => {
    const before = await database.db.collection('analyses').find({ status: { $ne: 'DELETED' } }, { projection: { _id: 1, revision: 1, sentiment: 1 } }).toArray();
    const tombstones = await database.db.collection('analyses').countDocuments({ status: 'DELETED' });
    expect(tombstones).toBeGreaterThan(0);
    const newer: Analyzer = { modelVersion: `${analyzer.modelVersion}-next`, analyze: (text, opts) => ({ ...analyzer.analyze(text, opts), modelVersion: `${analyzer.modelVersion}-next` }) };
    const consumer = await startAnalysisConsumer(bus, { ...deps, analyzer: newer }, { batchSize: 16, maxDeliver: 2, backoffMs: [100] });
    const analyzedBefore = await subjectCount(topics.analyzed);
    try {
      const first = await requestReanalysis({ analyses: server.services.analyses, bus, topics, log: silentLog }, { targetVersion: newer.modelVersion, maxPerSecond: 2_000 });
      expect(first.requested).toBe(before.length);
      const after = await eventually(async () => {
        const docs = await database.db.collection('analyses').find({ status: { $ne: 'DELETED' } }).toArray();
        return docs.every((d) => d.modelVersion === newer.modelVersion) ? docs : undefined;
      }, 30_000, 'every analysis at the newer model version');
      const revisionOf = new Map(before.map((d) => [d._id as unknown as string, d.revision as number]));
      for (const doc of after) {
        expect(doc.revision).toBe(revisionOf.get(doc._id as unknown as string)! + 1);
        const old = before.find((b) => b._id === doc._id)!;
        expect(doc.previousLabel).toBe(old.sentiment?.label ?? null);
      }
      // the event follows the stored result: wait for it, then check there is exactly one per review
      await eventually(async () => ((await subjectCount(topics.analyzed)) >= analyzedBefore + before.length ? true : undefined), 30_000, 'one review.analyzed per re-analysed review');
      expect(await subjectCount(topics.analyzed)).toBe(analyzedBefore + before.length);
      // Deleted reviews are not brought back by re-analysis.
      expect(await database.db.collection('analyses').countDocuments({ status: 'DELETED' })).toBe(tombstones);
      // Nothing is left to do: a second run requests nothing.
      expect((await requestReanalysis({ analyses: server.services.analyses, bus, topics, log: silentLog }, { targetVersion: newer.modelVersion })).requested).toBe(0);
    } finally {
      await consumer.stop();
    }
  });
});

describe('tenant aspect taxonomies', () => {
  const runAs = async (tenant: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await server.apollo.executeOperation({ query, variables }, { contextValue: server.contextFor(caller(tenant)) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  };
  const EXTEND = `mutation($i: ExtendAspectTaxonomyInput!) { extendAspectTaxonomy(input: $i) { aspect terms custom } }`;
  const ANALYZE = `query($t: String!) { analyzeText(text: $t, category: "sport-watch") { aspects { aspect term } } }`;

  it('maps a tenant\'s own terms to canonical aspects for that tenant only', async () => {
    const text = 'The juice lasts a whole week of training.';
    const beforeTerms = (await runAs('tenant-a', ANALYZE, { t: text })).data!.analyzeText.aspects;
    expect(beforeTerms.find((a: { term: string }) => a.term.toLowerCase() === 'juice')?.aspect).not.toBe('battery');
    const extended = await runAs('tenant-a', EXTEND, { i: { category: 'sport-watch', aspect: 'battery', terms: ['Juice', 'stamina'] } });
    const battery = extended.data!.extendAspectTaxonomy.find((a: { aspect: string }) => a.aspect === 'battery');
    expect(battery.custom).toBe(true);
    expect(battery.terms).toEqual(expect.arrayContaining(['battery', 'juice', 'stamina']));
    const after = (await runAs('tenant-a', ANALYZE, { t: text })).data!.analyzeText.aspects;
    expect(after).toContainEqual({ aspect: 'battery', term: 'juice' });
    const otherTenant = (await runAs('tenant-b', `{ aspectTaxonomy(category: "sport-watch") { aspect terms custom } }`)).data!.aspectTaxonomy;
    expect(otherTenant.find((a: { aspect: string }) => a.aspect === 'battery')).toMatchObject({ custom: false });
    expect(otherTenant.find((a: { aspect: string }) => a.aspect === 'battery').terms).not.toContain('juice');
  });

  it('refuses malformed extensions with the field at fault, storing nothing', async () => {
    for (const [input, field] of [
      [{ aspect: '$where', terms: ['x'] }, 'aspect'],
      [{ aspect: 'battery', terms: [] }, 'terms'],
      [{ aspect: 'battery', terms: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'terms'],
      [{ aspect: 'battery', terms: ['bad\u0000term'] }, 'terms'],
      [{ aspect: 'battery', terms: ['ok'], category: 'Sport Watch' }, 'category'],
    ] as const) {
      const result = await runAs('tenant-c', EXTEND, { i: input });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await database.db.collection('taxonomies').countDocuments({ tenantId: 'tenant-c' })).toBe(0);
  });
});
