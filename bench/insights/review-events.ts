/**
 * Reviews for the insights benchmarks, as collection stores them and as the insights consumer
 * learns them: a `review.submitted` and a `review.analyzed` per review, the analysis with aspect
 * mentions (score, the clause as snippet, the term's span in the text) the way the analysis
 * worker sends them. Reviews are spread over the last 120 days (so trend buckets and the alert
 * windows fill), over several locales (German and French ones come back UNSUPPORTED_LANGUAGE,
 * as the analysis does), and a product marked `surge` gets a rise of negative battery mentions
 * in its last 7 days, which raises alerts. Everything is derived from the review's index, so a
 * run can be repeated.
 */
import { newEvent, type PublishItem } from '../../lib/bus/index.js';
import type { ReviewTopics } from '../../lib/streams.js';
import type { ReviewAnalyzedData } from '../../subgraphs/analysis/src/models/analysis.js';
import type { ReviewDocument, ReviewSubmittedData } from '../../subgraphs/collection/src/models/review.js';

export interface BenchReview { review: ReviewDocument; analyzed: ReviewAnalyzedData }

type Polarity = 'POSITIVE' | 'NEGATIVE';
/** Per canonical aspect: the term as it appears at the start of the clause, and a clause of each polarity. */
const CLAUSES: Record<string, { term: string; POSITIVE: string[]; NEGATIVE: string[] }> = {
  battery: { term: 'battery', POSITIVE: ['The battery lasts for days', 'The battery easily gets through a marathon week'], NEGATIVE: ['The battery died after a day', 'The battery drains overnight with GPS off'] },
  gps: { term: 'GPS', POSITIVE: ['GPS locks on in seconds', 'GPS tracks are accurate under trees'], NEGATIVE: ['GPS takes ages to find a signal', 'GPS drifts badly in the city'] },
  strap: { term: 'strap', POSITIVE: ['The strap is soft and comfortable', 'The strap stays put on long runs'], NEGATIVE: ['The strap broke after a week', 'The strap gave me a rash'] },
  display: { term: 'screen', POSITIVE: ['The screen is bright and readable in full sun', 'The screen is sharp and easy to read'], NEGATIVE: ['The screen scratches far too easily', 'The screen is hard to read outdoors'] },
  price: { term: 'price', POSITIVE: ['The price is fair for what you get', 'The price is a bargain for these features'], NEGATIVE: ['The price is too high for what it does', 'The price went up and the features did not'] },
  'heart rate': { term: 'Heart rate', POSITIVE: ['Heart rate readings match my chest strap', 'Heart rate tracking is spot on'], NEGATIVE: ['Heart rate readings jump all over the place', 'Heart rate drops out mid-run'] },
  app: { term: 'app', POSITIVE: ['The app syncs instantly', 'The app shows clear training plans'], NEGATIVE: ['The app keeps losing my workouts', 'The app crashes on every sync'] },
};
const ASPECTS = Object.keys(CLAUSES);
const LOCALES: Array<[string | null, number]> = [['en-US', 0.45], ['en-GB', 0.2], ['en-AU', 0.08], ['en-CA', 0.07], ['de-DE', 0.08], ['fr-FR', 0.07], [null, 0.05]];
const FOREIGN: Record<string, string> = { 'de-DE': 'Der Akku hält lange und das Armband ist bequem.', 'fr-FR': 'La batterie tient longtemps et le bracelet est confortable.' };
const DAY_MS = 86_400_000;
export const SPREAD_DAYS = 120;

/** A small deterministic generator per review. */
function prng(seed: number) {
  let s = (seed * 2_654_435_761) >>> 0;
  return () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

export const reviewIdOf = (index: number) => `rev_${index.toString(16).padStart(24, '0')}`;

/** The review at `index`, for `productId`, written within the last `spreadDays` (default SPREAD_DAYS) days before `now`. */
export function benchReview(index: number, tenantId: string, productId: string, opts: { now: Date; surge?: boolean; spreadDays?: number }): BenchReview {
  const random = prng(index + 1);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const daysAgo = Math.floor(random() * (opts.spreadDays ?? SPREAD_DAYS));
  const createdAt = new Date(Math.min(opts.now.getTime() - 1_000, Math.floor(opts.now.getTime() / DAY_MS) * DAY_MS - daysAgo * DAY_MS + Math.floor(random() * DAY_MS)));
  let roll = random();
  const locale = LOCALES.find(([, share]) => (roll -= share) < 0)?.[0] ?? null;
  const reviewId = reviewIdOf(index);
  const recent = daysAgo < 7;

  const foreign = locale !== null && locale in FOREIGN;
  const sentences: string[] = [];
  const aspects: ReviewAnalyzedData['aspects'] = [];
  if (!foreign) {
    const mentioned = new Set<string>();
    if (opts.surge && random() < 0.8) mentioned.add('battery');
    const count = 1 + Math.floor(random() * 3);
    while (mentioned.size < count) mentioned.add(pick(ASPECTS));
    let offset = 0;
    for (const aspect of mentioned) {
      const negativeShare = opts.surge && aspect === 'battery' ? (recent ? 0.75 : 0.15) : 0.25;
      const polarity: Polarity = random() < negativeShare ? 'NEGATIVE' : 'POSITIVE';
      const { term } = CLAUSES[aspect]!;
      const clause = pick(CLAUSES[aspect]![polarity]);
      const at = offset + clause.indexOf(term);
      aspects.push({ aspect, polarity, score: Math.round((0.5 + random() * 0.49) * 1000) / 1000, snippet: clause, start: at, end: at + term.length });
      sentences.push(`${clause}.`);
      offset += clause.length + 2;
    }
  }
  const positives = aspects.filter((a) => a.polarity === 'POSITIVE').length;
  const negatives = aspects.length - positives;
  const label = foreign ? null : positives > negatives ? 'POSITIVE' : negatives > positives ? 'NEGATIVE' : 'NEUTRAL';
  const base = label === 'POSITIVE' ? 4.3 : label === 'NEGATIVE' ? 1.8 : 3;
  const rating = Math.max(1, Math.min(5, Math.round(base + (random() - 0.5) * 2)));
  const text = foreign ? FOREIGN[locale!]! : sentences.join(' ');
  const review: ReviewDocument = { _id: reviewId, tenantId, productId, rating, title: null, text, author: null, locale, createdAt, receivedAt: createdAt, source: 'bench', externalId: null };
  const analyzed: ReviewAnalyzedData = {
    reviewId, productId, status: foreign ? 'UNSUPPORTED_LANGUAGE' : 'DONE', label, previousLabel: null, revision: 1, modelVersion: 'bench', aspects,
  };
  return { review, analyzed };
}

/** The `review.submitted` and `review.analyzed` events of a review, stamped now. */
export function reviewEvents(topics: ReviewTopics, { review, analyzed }: BenchReview, productCategory = 'sport-watch'): PublishItem[] {
  const submitted: ReviewSubmittedData = { reviewId: review._id, productId: review.productId, productCategory, rating: review.rating, title: review.title, text: review.text, locale: review.locale, createdAt: review.createdAt.toISOString() };
  return [
    { subject: topics.submitted, event: newEvent('review.submitted', review.tenantId, submitted, { id: `review.submitted:${review._id}` }) },
    { subject: topics.analyzed, event: newEvent('review.analyzed', review.tenantId, analyzed, { id: `review.analyzed:${review._id}:1` }) },
  ];
}

/** Whether the insights count a review as analysed (an analysis with a sentiment label). */
export const countsAsAnalyzed = (r: BenchReview) => r.analyzed.label !== null;
