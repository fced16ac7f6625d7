import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { complaintsAbout, DEMO_PRODUCTS, FIRMWARE_STORY, generateReviews, type DemoReview } from '../../scripts/demo/catalogue.js';
import { createAnalyzer } from '../../subgraphs/analysis/src/nlp/index.js';
import { BASELINE_DAYS, MIN_BASELINE, MIN_RECENT, MIN_RISE, RAISE_Z, RECENT_DAYS, twoProportionZ } from '../../subgraphs/applications/src/services/alert-detection.js';

const DAY_MS = 86_400_000;

/** The alert rule on one signal of the story product, over the catalogue's own labels, with the windows the consumer uses. */
function signal(reviews: DemoReview[], now: number, hit: (r: DemoReview) => boolean) {
  const today = Math.floor(now / DAY_MS);
  const daysAgo = (r: DemoReview) => today - Math.floor(Date.parse(r.createdAt) / DAY_MS);
  const recent = reviews.filter((r) => daysAgo(r) >= 0 && daysAgo(r) < RECENT_DAYS);
  const baseline = reviews.filter((r) => daysAgo(r) >= RECENT_DAYS && daysAgo(r) < RECENT_DAYS + BASELINE_DAYS);
  const x1 = recent.filter(hit).length, x0 = baseline.filter(hit).length;
  return { recent: recent.length, baseline: baseline.length, rise: x1 / recent.length - x0 / baseline.length, z: twoProportionZ(x1, recent.length, x0, baseline.length) };
}

function expectAlert(s: ReturnType<typeof signal>) {
  expect(s.recent).toBeGreaterThanOrEqual(MIN_RECENT);
  expect(s.baseline).toBeGreaterThanOrEqual(MIN_BASELINE);
  expect(s.rise).toBeGreaterThanOrEqual(MIN_RISE);
  expect(s.z).toBeGreaterThanOrEqual(RAISE_Z);
}

describe('the demo catalogue', () => {
  // Early and late in a UTC day: the story's windows hold whatever time the seed runs.
  const nows = [Date.parse('2026-12-01T00:30:00Z'), Date.parse('2026-12-01T23:30:00Z'), Date.parse('2027-03-15T12:00:00Z')];

  for (const count of [600, 3000]) {
    for (const now of nows) {
      it(`raises low-rating and GPS alerts for ${FIRMWARE_STORY.sku} from ${count} reviews seeded at ${new Date(now).toISOString()}`, () => {
        const reviews = generateReviews(count, 42, now);
        expect(reviews).toHaveLength(count);
        expect(reviews.every((r) => Date.parse(r.createdAt) <= now)).toBe(true);
        const story = reviews.filter((r) => r.sku === FIRMWARE_STORY.sku);
        expectAlert(signal(story, now, (r) => r.rating <= 2));
        const gps = complaintsAbout('gps');
        expectAlert(signal(story, now, (r) => gps.some((s) => r.text.includes(s))));
      });
    }
  }

  it(`raises negative-sentiment, GPS and battery alerts for ${FIRMWARE_STORY.sku} on the analyser's own verdicts (600 reviews, as README seeds)`, async () => {
    const analyzer = await createAnalyzer();
    const now = nows[1]!;
    const story = generateReviews(600, 42, now).filter((r) => r.sku === FIRMWARE_STORY.sku);
    const verdicts = new Map(story.map((r) => [r, analyzer.analyze(r.text, { category: 'sport-watch' })]));
    const negativeAbout = (aspect: string) => (r: DemoReview) => verdicts.get(r)!.aspects.some((m) => m.aspect === aspect && m.polarity === 'NEGATIVE');
    expectAlert(signal(story, now, (r) => verdicts.get(r)!.sentiment?.label === 'NEGATIVE'));
    expectAlert(signal(story, now, negativeAbout('gps')));
    expectAlert(signal(story, now, negativeAbout('battery')));
  });

  it('raises nothing for the other products: their reviews stay spread over the year', () => {
    const now = nows[0]!;
    const reviews = generateReviews(600, 42, now);
    for (const product of DEMO_PRODUCTS.filter((p) => p.sku !== FIRMWARE_STORY.sku)) {
      const s = signal(reviews.filter((r) => r.sku === product.sku), now, (r) => r.rating <= 2);
      expect(s.baseline, product.sku).toBeLessThan(MIN_BASELINE);
    }
  });

  it('keeps the reviews of NP-TRAIL-2 that README quotes (600 reviews, seed 42)', () => {
    const trail = generateReviews(600, 42, 0).filter((r) => r.sku === 'NP-TRAIL-2');
    const digest = createHash('sha256').update(JSON.stringify(trail.map(({ rating, title, text, locale, createdAt, externalId }) => [rating, title, text, locale, createdAt, externalId]))).digest('hex');
    expect(digest).toBe('6f26e7607f528d108265e6b4be913e7061d61442d06110f6c801b3576c4f5f37');
  });
});
