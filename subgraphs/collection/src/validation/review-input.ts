import { z } from 'zod';
import type { ReviewInput } from '../__generated__/resolvers-types.js';
import { PRODUCT_ID_PATTERN } from '../models/product.js';
import type { ReviewDocument } from '../models/review.js';
import { ItemRejected, optionalString } from './rejection.js';

export const MAX_TEXT_LENGTH = 20_000;
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST = Date.UTC(1990, 0, 1);
// Calendar-checked: Date.parse rolls 2026-02-31 over to 2026-03-03, zod's ISO formats refuse it.
const ISO_DATE = z.union([z.iso.date(), z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 })]);
const LOCALE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$/;
const SOURCE = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/;

/** A review input that passed every check, normalised for storage. */
export type CleanReview = Omit<ReviewDocument, '_id' | 'tenantId' | 'receivedAt'>;

/** Checks one review input; throws ItemRejected naming the first bad field. */
export function cleanReviewInput(input: ReviewInput, now: Date): CleanReview {
  if (!PRODUCT_ID_PATTERN.test(input.productId)) {
    throw new ItemRejected('productId', 'INVALID', `productId "${input.productId.slice(0, 40)}" is not a product id (prd_ followed by 24 hex digits)`);
  }
  if (!Number.isFinite(input.rating) || !Number.isInteger(input.rating)) {
    throw new ItemRejected('rating', 'INVALID', `rating must be a whole number from 1 to 5, got ${input.rating}`);
  }
  if (input.rating < 1 || input.rating > 5) {
    throw new ItemRejected('rating', 'OUT_OF_RANGE', `rating must be from 1 to 5, got ${input.rating}`);
  }
  const text = typeof input.text === 'string' ? input.text.toWellFormed() : '';
  if (text.trim() === '') throw new ItemRejected('text', 'REQUIRED', 'text must not be empty or only whitespace');
  if (text.length > MAX_TEXT_LENGTH) {
    throw new ItemRejected('text', 'TOO_LONG', `text is ${text.length} characters; the limit is ${MAX_TEXT_LENGTH}`);
  }
  const locale = optionalString(input.locale, 'locale', 35);
  if (locale !== null && !LOCALE.test(locale)) throw new ItemRejected('locale', 'INVALID', `locale "${locale}" is not a language tag such as en-US`);
  const source = optionalString(input.source, 'source', 64) ?? 'api';
  if (!SOURCE.test(source)) throw new ItemRejected('source', 'INVALID', 'source may hold letters, digits and : . _ - (up to 64)');
  return {
    productId: input.productId,
    rating: input.rating,
    title: optionalString(input.title, 'title', 300),
    text,
    author: optionalString(input.author, 'author', 200),
    locale,
    createdAt: parseCreatedAt(input.createdAt, now),
    source,
    externalId: optionalString(input.externalId, 'externalId', 200),
    ...syndicatedFrom(input.syndicatedFrom),
  };
}

function syndicatedFrom(value: string | null | undefined): { syndicatedFrom?: string } {
  const origin = optionalString(value, 'syndicatedFrom', 64);
  if (origin === null) return {};
  if (!SOURCE.test(origin)) throw new ItemRejected('syndicatedFrom', 'INVALID', 'syndicatedFrom names a source: letters, digits and : . _ - (up to 64)');
  return { syndicatedFrom: origin };
}

function parseCreatedAt(value: string | null | undefined, now: Date): Date {
  if (value === null || value === undefined || value.trim() === '') return now;
  const trimmed = value.trim();
  const millis = trimmed.length <= 40 && ISO_DATE.safeParse(trimmed).success ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new ItemRejected('createdAt', 'INVALID', `createdAt "${trimmed.slice(0, 40)}" is not a real ISO-8601 date or date-time (e.g. 2026-02-28 or 2026-02-28T10:00:00Z)`);
  }
  if (millis > now.getTime() + CLOCK_SKEW_MS) throw new ItemRejected('createdAt', 'FUTURE_DATE', `createdAt ${trimmed} is in the future`);
  if (millis < EARLIEST) throw new ItemRejected('createdAt', 'OUT_OF_RANGE', 'createdAt is before 1990');
  return new Date(millis);
}
