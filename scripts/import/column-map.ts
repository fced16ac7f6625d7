import { createHash } from 'node:crypto';
import type { DateReader } from './date-format.js';

/** The review fields a row can fill, as submitReviews takes them (product is an id or a SKU). */
export const FIELDS = ['product', 'rating', 'title', 'text', 'author', 'locale', 'date', 'externalId', 'syndicatedFrom'] as const;
export type Field = (typeof FIELDS)[number];

/** Column names of common export shapes, compared lower-case without spaces, dashes or underscores. */
const ALIASES: Record<Field, string[]> = {
  product: ['productid', 'product', 'sku', 'productsku', 'itemid', 'asin'],
  rating: ['rating', 'stars', 'score', 'starrating', 'overallrating', 'overall', 'ratingvalue', 'reviewrating'],
  title: ['title', 'headline', 'reviewtitle', 'summary', 'subject'],
  text: ['text', 'body', 'review', 'content', 'reviewtext', 'reviewbody', 'comment', 'comments'],
  author: ['author', 'reviewer', 'authorname', 'reviewername', 'nickname', 'username', 'user'],
  locale: ['locale', 'language', 'lang', 'languagecode'],
  date: ['date', 'createdat', 'reviewdate', 'submittedat', 'submitted', 'submissiontime', 'submissiondate', 'publishedat', 'published', 'postedat', 'posted', 'datecreated', 'creationdate', 'created', 'timestamp', 'time'],
  externalId: ['externalid', 'reviewid', 'id', 'externalreviewid'],
  syndicatedFrom: ['syndicatedfrom', 'originsource', 'origin'],
};
const FIELD_NAMES: Record<string, Field> = { createdat: 'date', productid: 'product', sku: 'product', id: 'externalId', body: 'text', stars: 'rating' };

const normal = (name: string) => name.toLowerCase().replace(/[\s_\-.]/g, '');

/** `--map rating=stars,text=body`: the field each named column fills. */
export function parseMapOption(option: string | undefined): Partial<Record<Field, string>> {
  const map: Partial<Record<Field, string>> = {};
  if (!option) return map;
  for (const pair of option.split(',')) {
    const [rawField, ...rest] = pair.split('=');
    const column = rest.join('=').trim();
    const key = normal(rawField ?? '');
    const field = FIELDS.find((f) => normal(f) === key) ?? FIELD_NAMES[key];
    if (!field || column === '') throw new Error(`--map takes field=column pairs with fields ${FIELDS.join(', ')}; got "${pair}"`);
    map[field] = column;
  }
  return map;
}

/** The column each field reads: --map first, else the first column whose name is a known alias. */
export function resolveColumns(columns: readonly string[], explicit: Partial<Record<Field, string>>, strict = true): Partial<Record<Field, string>> {
  const resolved: Partial<Record<Field, string>> = {};
  const byNormal = new Map(columns.map((c) => [normal(c), c]));
  for (const field of FIELDS) {
    const wanted = explicit[field];
    if (wanted !== undefined) {
      const column = columns.includes(wanted) ? wanted : byNormal.get(normal(wanted));
      if (column === undefined && !strict) continue;
      if (column === undefined) throw new Error(`--map ${field}=${wanted}: the file has no column "${wanted}" (columns: ${columns.slice(0, 20).join(', ')})`);
      resolved[field] = column;
      continue;
    }
    const alias = ALIASES[field].find((a) => byNormal.has(a));
    if (alias !== undefined) resolved[field] = byNormal.get(alias)!;
  }
  return resolved;
}

/** A row as submitReviews takes it, before the product SKU is resolved. */
export interface MappedReview {
  product: string;
  rating: number;
  text: string;
  title?: string;
  author?: string;
  locale?: string;
  createdAt?: string;
  externalId: string;
  source: string;
  syndicatedFrom?: string;
}

export interface RowMapping {
  columns: Partial<Record<Field, string>>;
  /** For JSONL: keys found per row; the fields a row's keys fill, found per key set and kept. */
  perRow: boolean;
  source: string;
  defaultProduct: string | null;
  ratingScale: number;
  readDate: DateReader;
}

export interface RowRejection { field: string | null; code: string; reason: string }

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function readRating(value: unknown, scale: number): number | RowRejection {
  const raw = typeof value === 'number' ? String(value) : text(value)?.trim();
  if (raw === undefined) return { field: 'rating', code: 'REQUIRED', reason: 'the row has no rating' };
  const fraction = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(raw);
  const number = fraction ? (Number(fraction[1]) / Number(fraction[2])) * 5 : Number(raw.replace(',', '.'));
  if (raw === '' || !Number.isFinite(number)) return { field: 'rating', code: 'INVALID', reason: `rating "${raw.slice(0, 40)}" is not a number` };
  // A rating on another scale (--rating-scale 10, or "8/10") becomes the nearest star; a 1-5 rating goes as written, so the API judges it.
  return fraction ? Math.round(number) : scale === 5 ? number : Math.round((number / scale) * 5);
}

/** The deterministic external id of a row that has none: its line and bytes, so a rerun of the same file finds it again. */
export function rowExternalId(line: number, raw: Buffer): string {
  return `row:${createHash('sha256').update(`${line}\u0000`).update(raw).digest('hex').slice(0, 32)}`;
}

/** Maps one row's values to a review, or says why it cannot be one. */
export function mapRow(values: Record<string, unknown>, line: number, raw: Buffer, mapping: RowMapping): MappedReview | RowRejection {
  const columns = mapping.perRow ? resolveColumns(Object.keys(values), mapping.columns, false) : mapping.columns;
  const get = (field: Field) => (columns[field] === undefined ? undefined : values[columns[field]!]);
  const product = text(get('product'))?.trim() ?? mapping.defaultProduct ?? undefined;
  if (product === undefined) return { field: 'product', code: 'REQUIRED', reason: 'the row names no product (a product id or SKU column, or --product)' };
  const rating = readRating(get('rating'), mapping.ratingScale);
  if (typeof rating !== 'number') return rating;
  const review: MappedReview = { product, rating, text: text(get('text')) ?? '', externalId: text(get('externalId'))?.trim() ?? rowExternalId(line, raw), source: mapping.source };
  const optional = { title: text(get('title')), author: text(get('author')), locale: text(get('locale'))?.trim(), syndicatedFrom: text(get('syndicatedFrom'))?.trim() };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (review as unknown as Record<string, string>)[key] = value;
  const date = text(get('date'))?.trim();
  if (date !== undefined) {
    const read = mapping.readDate(date);
    if ('error' in read) return { field: 'createdAt', code: 'INVALID', reason: read.error };
    review.createdAt = read.iso;
  }
  return review;
}
