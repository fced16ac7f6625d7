import { z } from 'zod';
import type { EventEnvelope } from '../../../../lib/bus/index.js';
import type { ReviewFacts } from '../models/review-state.js';

const label = z.enum(['POSITIVE', 'NEUTRAL', 'NEGATIVE']);
const moderationStatus = z.enum(['PUBLISHED', 'PENDING', 'REJECTED']);
const ids = { reviewId: z.string().min(1).max(200), productId: z.string().min(1).max(200) };

const submittedSchema = z.object({
  ...ids,
  rating: z.unknown(),
  locale: z.string().max(35).nullish(),
  createdAt: z.string().nullish(),
  revision: z.number().int().min(1).optional(),
  source: z.string().min(1).max(64).nullish(),
  status: moderationStatus.optional(),
});
const moderatedSchema = z.object({ ...ids, status: moderationStatus, moderation: z.number().int().min(1) });
const analyzedSchema = z.object({
  ...ids,
  revision: z.number().int().min(1),
  label: label.nullish(),
  aspects: z.array(z.object({
    aspect: z.string().min(1).max(100),
    polarity: label,
    score: z.number().finite().optional(),
    snippet: z.string().optional(),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(0).optional(),
  })).max(200).default([]),
});
const deletedSchema = z.object(ids);

/** What an event says of a review: its ids and how it changes the review's facts. */
export interface ReviewEventFacts {
  reviewId: string;
  productId: string;
  change(facts: ReviewFacts): ReviewFacts;
  /** A review's first submission (revision 1): usually the first event of its review, so its state is likely new. */
  first?: boolean;
}

const SNIPPET_CHARS = 240;

function parse<T>(schema: z.ZodType<T>, event: EventEnvelope<unknown>): T {
  const result = schema.safeParse(event.data);
  if (!result.success) throw new Error(`${event.type} ${event.id}: ${result.error.issues.map((i) => `${i.path.join('.') || 'data'} ${i.message}`).join('; ')}`);
  return result.data;
}

function dayOf(value: string, event: EventEnvelope<unknown>): string {
  const time = Date.parse(value);
  if (!Number.isFinite(time)) throw new Error(`${event.type} ${event.id}: createdAt ${value} is not a date`);
  return new Date(time).toISOString();
}

/**
 * Reads a review event into a change of the review's facts, or null for subjects insights ignore.
 * Facts only move forward: the submission is fixed once known (a different one is contradictory
 * and throws, so the event is dead-lettered rather than counted), an analysis replaces only an
 * older revision, and a deletion is final.
 */
export function reviewEventFacts(event: EventEnvelope<unknown>, subject: string): ReviewEventFacts | null {
  if (subject === 'review.submitted' || subject === 'review.updated') {
    const data = parse(submittedSchema, event);
    const rating = data.rating;
    if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) throw new Error(`${subject} ${event.id}: rating ${String(rating)} is not 1-5`);
    // An edit (review.updated, or a submission republished after one) carries the revision it is; a newer one replaces an older.
    const revision = data.revision ?? 1;
    const submitted = { rating, createdAt: dayOf(data.createdAt ?? event.occurredAt, event), locale: data.locale ?? null, ...(revision > 1 ? { revision } : {}), ...(data.source ? { source: data.source } : {}) };
    return {
      reviewId: data.reviewId, productId: data.productId, first: subject === 'review.submitted' && revision === 1,
      change(incoming) {
        // A deleted review counts for nothing whatever comes late for it.
        if (incoming.deleted) return incoming;
        // A submission held or rejected when stored says so (published is what no status means), unless a moderation decided since.
        const facts = incoming.moderation || !data.status || data.status === 'PUBLISHED' ? incoming : { ...incoming, moderation: { status: data.status, seq: 0 } };
        if (!facts.submitted || (facts.submitted.revision ?? 1) < revision) return { ...facts, submitted };
        if ((facts.submitted.revision ?? 1) > revision) return facts;
        const same = facts.submitted.rating === submitted.rating && facts.submitted.createdAt === submitted.createdAt && facts.submitted.locale === submitted.locale;
        if (!same) throw new Error(`${subject} ${event.id}: contradicts the submission already counted for ${data.reviewId}`);
        return facts;
      },
    };
  }
  if (subject === 'review.analyzed') {
    const data = parse(analyzedSchema, event);
    const analysis = {
      revision: data.revision,
      label: data.label ?? null,
      aspects: data.aspects.map((a) => {
        const snippet = (a.snippet ?? '').slice(0, SNIPPET_CHARS);
        const start = a.start ?? 0;
        return { aspect: a.aspect.toLowerCase(), polarity: a.polarity, score: a.score ?? 0, snippet, start, end: Math.max(start, a.end ?? start) };
      }),
    };
    return {
      reviewId: data.reviewId, productId: data.productId,
      change: (facts) => (facts.analysis && facts.analysis.revision >= analysis.revision ? facts : { ...facts, analysis }),
    };
  }
  if (subject === 'review.moderated') {
    const data = parse(moderatedSchema, event);
    const moderation = { status: data.status, seq: data.moderation };
    return {
      reviewId: data.reviewId, productId: data.productId,
      // Status changes are numbered: a late event for an older one changes nothing.
      change: (facts) => (facts.deleted || (facts.moderation && facts.moderation.seq >= moderation.seq) ? facts : { ...facts, moderation }),
    };
  }
  if (subject === 'review.deleted') {
    const data = parse(deletedSchema, event);
    return { reviewId: data.reviewId, productId: data.productId, change: (facts) => (facts.deleted ? facts : { ...facts, deleted: true }) };
  }
  return null;
}
