import { afterAll, describe, expect, it } from 'vitest';
import { newEvent, type PublishItem } from '../../lib/bus/index.js';
import { connectDatabase, databaseName, type Database } from '../../lib/mongo.js';
import { freePort } from '../../lib/stack.js';
import { startProcess, stopAll, type RunningProcess } from '../../lib/supervisor.js';
import type { CountedReview, MentionFact } from '../../subgraphs/applications/src/models/review-state.js';
import { InsightsRepository } from '../../subgraphs/applications/src/repositories/insights-repository.js';
import { ReviewStateRepository } from '../../subgraphs/applications/src/repositories/review-state-repository.js';
import { aspectVotes } from '../../subgraphs/applications/src/services/insights-fold.js';
import { recompute, rebuildInsights } from '../../subgraphs/applications/src/services/insights-rebuild.js';
import { eventually, freshBus } from '../support/fixtures.js';
import { testInfra } from '../support/infra.js';

// 2,000 reviews (about 5,000 events) fit the CI budget on 2 shared cores; the 10,000 is a parameter away.
const REVIEWS = Number(process.env.EXACTLY_ONCE_REVIEWS ?? 2_000);
const PRODUCTS = 12;
const TENANT = 'eo-tenant';
const ASPECTS = ['battery', 'gps', 'strap', 'screen', 'price', 'heart rate'];
const LABELS = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const;

const processes: RunningProcess[] = [];
let database: Database | undefined;
afterAll(async () => {
  await stopAll(processes);
  await database?.db.dropDatabase();
  await database?.close();
});

/** A small deterministic generator, so a failure can be replayed with the same seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

interface Truth { reviewId: string; productId: string; submitted: CountedReview['submitted']; analysis: CountedReview['analysis']; deleted: boolean }

const strip = <T extends object>(doc: T) => {
  const { version: _v, updatedAt: _u, recentEffects: _r, quotes: _q, ...rest } = doc as Record<string, unknown>;
  return rest;
};

describe('insights under kill -9 of the consumer', () => {
  it(`folds ${REVIEWS.toLocaleString('en')} reviews exactly once while the consumer is killed and restarted at random points`, async () => {
    const { bus, topics } = await freshBus('exactly');
    const prefix = topics.stream.name.toLowerCase().replace(/_reviews$/, '');
    const namespace = topics.submitted.replace(/\.review\.submitted$/, '');
    database = await connectDatabase(testInfra().mongoUri, databaseName(prefix, 'applications'));
    const env = { MONGODB_URI: testInfra().mongoUri, NATS_URL: testInfra().natsUrl, DB_PREFIX: prefix, BUS_NAMESPACE: namespace, APPLICATIONS_ACK_WAIT_MS: '2000', LOG_LEVEL: 'info' };
    const start = async () => {
      let onReady!: () => void;
      const ready = new Promise<void>((resolve) => { onReady = resolve; });
      const proc = startProcess({ name: 'applications', entry: 'subgraphs/applications/src/index.ts', env: { ...env, APPLICATIONS_PORT: String(await freePort()) } }, (line) => { if (line.includes('applications subgraph ready')) onReady(); });
      processes.push(proc);
      await Promise.race([ready, proc.ended.then((s) => { throw new Error(`applications ended before ready: ${JSON.stringify(s)} ${proc.lastError}`); })]);
      return proc;
    };

    // The reviews and every event about them: submissions, analyses, re-analyses, deletions, and duplicates under new message ids.
    const random = prng(20260301);
    const truth: Truth[] = [];
    const events: PublishItem[] = [];
    const mentions = (): MentionFact[] => Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
      const aspect = ASPECTS[Math.floor(random() * ASPECTS.length)]!;
      return { aspect, polarity: LABELS[Math.floor(random() * 3)]!, score: Math.round(random() * 1000) / 1000, snippet: `${aspect} clause`, start: 0, end: aspect.length };
    });
    for (let i = 0; i < REVIEWS; i++) {
      const reviewId = `rev_${i.toString(16).padStart(24, '0')}`;
      const productId = `prd_${(i % PRODUCTS).toString(16).padStart(24, '0')}`;
      const submitted = { rating: 1 + Math.floor(random() * 5), createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 120) * 86_400_000 + 3_600_000).toISOString(), locale: random() < 0.8 ? 'en-US' : null };
      const t: Truth = { reviewId, productId, submitted, analysis: null, deleted: false };
      truth.push(t);
      const submit = (id?: string) => ({ subject: topics.submitted, event: newEvent('review.submitted', TENANT, { reviewId, productId, rating: submitted.rating, text: 't', productCategory: 'sport-watch', title: null, locale: submitted.locale, createdAt: submitted.createdAt }, { id }) });
      events.push(submit());
      const revisions = random() < 0.2 ? 2 : 1;
      for (let revision = 1; revision <= revisions; revision++) {
        const aspects = mentions();
        const label = LABELS[Math.floor(random() * 3)]!;
        t.analysis = { revision, label, aspects };
        events.push({ subject: topics.analyzed, event: newEvent('review.analyzed', TENANT, { reviewId, productId, status: 'DONE', label, previousLabel: null, revision, modelVersion: 'm', aspects }) });
      }
      if (random() < 0.1) {
        t.deleted = true;
        events.push({ subject: topics.deleted, event: newEvent('review.deleted', TENANT, { reviewId, productId, rating: submitted.rating }) });
      }
      if (random() < 0.05) events.push(submit(`dup-${reviewId}`));
    }

    let current = await start();
    let kills = 0;
    let killedInFlight = 0;
    let publishing = true;
    const killer = (async () => {
      const rnd = prng(7);
      // Kill while events are published, and on while a backlog is left (at least 6 kills in all).
      while (publishing || kills < 6 || ((await bus.consumerStats(topics.stream.name, 'applications')).pending > 0 && kills < 12)) {
        await new Promise((r) => setTimeout(r, 700 + rnd() * 2_300));
        if ((await bus.consumerStats(topics.stream.name, 'applications')).ackPending > 0) killedInFlight++;
        current.child.kill('SIGKILL');
        await current.ended;
        kills++;
        current = await start();
      }
    })();
    for (let i = 0; i < events.length; i += 250) {
      const published = await bus.publishMany(events.slice(i, i + 250));
      expect(published.failed).toEqual([]);
      await new Promise((r) => setTimeout(r, 150));
    }
    publishing = false;
    await killer;

    await eventually(async () => {
      const stats = await bus.consumerStats(topics.stream.name, 'applications');
      return stats.pending === 0 && stats.ackPending === 0 ? stats : undefined;
    }, 240_000, 'every event acknowledged');
    const stats = await bus.consumerStats(topics.stream.name, 'applications');
    // A dead letter is a review missing from an insight: none may happen, and one that did must say why.
    const letters = await bus.deadLetters(topics.stream.name, { durable: 'applications', limit: 1_000 });
    for (const letter of letters) expect(letter.reason, `dead letter of ${letter.originalSubject} #${letter.originalSeq}`).not.toBe('');
    const reasons = [...new Set(letters.map((l) => `${l.reason} (after ${l.deliveries} deliveries)`))];
    expect(reasons, 'dead-letter reasons').toEqual([]);
    expect(stats.deadLetters).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(6);
    expect(killedInFlight, 'kills that found batches in flight').toBeGreaterThan(0);
    process.stdout.write(`exactly-once: ${events.length} events, ${kills} kills (${killedInFlight} with batches in flight)\n`);

    // From scratch: the same reviews folded once each, in a fresh computation.
    const insights = new InsightsRepository(database);
    const compare = async (what: string) => {
      for (let p = 0; p < PRODUCTS; p++) {
        const productId = `prd_${p.toString(16).padStart(24, '0')}`;
        const counted = truth.filter((t) => t.productId === productId && !t.deleted).map((t) => ({ reviewId: t.reviewId, submitted: t.submitted, analysis: t.analysis }));
        const expected = recompute(TENANT, productId, counted);
        const actual = (await insights.findByProductIds(TENANT, [productId])).get(productId);
        expect(actual && strip(actual), `${what}: insights of ${productId}`).toEqual(strip(expected.insights));
        const months = await insights.findMonths(TENANT, productId, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05']);
        for (const [month, doc] of expected.months) expect(strip(months.get(month)!), `${what}: ${productId} ${month}`).toEqual(strip(doc));
        // Quotes come from a bounded pool, so they are checked for truth rather than equality: each one is a live review's mention of that aspect and polarity.
        const live = new Map(counted.map((c) => [c.reviewId, aspectVotes(c)]));
        for (const [key, pools] of Object.entries(actual!.quotes)) {
          for (const polarity of ['POSITIVE', 'NEGATIVE'] as const) {
            for (const quote of pools[polarity]) expect(live.get(quote.reviewId)?.get(decodeURIComponent(key))?.polarity, `${what}: quote ${quote.reviewId} ${key}`).toBe(polarity);
          }
        }
      }
    };
    await compare('incremental');
    await stopAll([current]);
    const rebuilt = await rebuildInsights({ insights, states: new ReviewStateRepository(database) }, { graceMs: 0 });
    expect(rebuilt).toMatchObject({ products: PRODUCTS, reviews: expect.any(Number), done: true });
    await compare('after rebuild-insights');
  }, 420_000);
});
