import { reviewIdFor, type ReviewDocument } from '../../subgraphs/collection/src/models/review.js';

/** A `ReviewInput` of the collection subgraph, as a client sends it. */
export interface GeneratedReviewInput {
  productId: string;
  rating: number;
  title: string | null;
  text: string;
  author: string | null;
  locale: string;
  createdAt: string;
  source: string;
  externalId: string;
}

const OPENERS = ['Bought this for my commute.', 'Second one I own.', 'A gift for my partner.', 'Used it daily for three months.', 'Picked it up on sale.', 'Replaced an older model with it.', 'Took it on a two-week trip.'];
const ASPECTS = ['battery', 'screen', 'strap', 'GPS', 'price', 'app', 'fit', 'sound', 'build quality', 'delivery', 'heart-rate sensor', 'charger'];
const PRAISE = ['is excellent', 'lasts for days', 'works flawlessly', 'is better than expected', 'feels premium', 'is spot on', 'is a real step up'];
const COMPLAINTS = ['died after a week', 'is disappointing', 'keeps disconnecting', 'broke quickly', 'is far too expensive', 'is hard to read in sunlight', 'stopped syncing'];
const CLOSERS = ['Would buy again.', 'Not sure I would recommend it.', 'Support was helpful.', 'Returned it in the end.', 'Five stars from me.', 'Does the job.', ''];
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'nl-NL', 'en'];
const AUTHORS = ['Sam', 'Alex', 'Jordan', 'Priya', 'Chen', 'Maria', 'Olu', 'Kim'];
const START = Date.parse('2024-01-01T00:00:00Z');

/** A small deterministic generator (mulberry32), so review `i` of a run is the same every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Review `index` of a generated set: its rating, 1–8 sentences about varied aspects (about 60–700
 * characters), title, author and locale vary with it; `externalId` is unique within `run`.
 */
export function generatedReview(run: string, index: number, productIds: readonly string[]): GeneratedReviewInput {
  const next = random(index * 2654435761 + 17);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const rating = 1 + Math.floor(next() * 5);
  const sentences = [pick(OPENERS)];
  for (let s = 0, n = 1 + Math.floor(next() * 6); s < n; s++) sentences.push(`The ${pick(ASPECTS)} ${next() < rating / 6 ? pick(PRAISE) : pick(COMPLAINTS)}.`);
  sentences.push(pick(CLOSERS));
  return {
    productId: productIds[index % productIds.length]!,
    rating,
    title: next() < 0.6 ? `${pick(ASPECTS)} ${rating >= 4 ? 'impressed me' : 'let me down'}` : null,
    text: sentences.join(' ').trim(),
    author: next() < 0.8 ? `${pick(AUTHORS)} ${index % 997}` : null,
    locale: pick(LOCALES),
    createdAt: new Date(START + Math.floor(next() * 600 * 86_400_000)).toISOString(),
    source: 'bench-ingest',
    externalId: `${run}-${index}`,
  };
}

/** The document the collection subgraph stores for a generated review (the raw-insert baseline writes these). */
export function storedReview(tenantId: string, input: GeneratedReviewInput, receivedAt: Date): ReviewDocument {
  return { _id: reviewIdFor(tenantId, input.source, input.externalId), tenantId, ...input, createdAt: new Date(input.createdAt), receivedAt };
}
