import type { Collection } from 'mongodb';
import { findByIds, insertIfAbsent, insertManyIgnoringDuplicates, type Database } from '../../../../lib/mongo.js';
import { BoundedCache } from './bounded-cache.js';
import { countedReview, stateVersionId, type AppliedMarker, type ReviewChange, type ReviewStateDocument } from '../models/review-state.js';

const PROBE = 8;
/** Reviews whose latest state a process remembers (about a kilobyte each). */
export const KNOWN_STATES = 20_000;

/**
 * `analysis` and `change` are stored as one JSON string each: FerretDB converts arrays of objects
 * (a review's mentions, twice) element by element on every write and read. Versions written
 * before, with those fields as objects, are read as they are.
 */
const PACKED = ['analysis', 'change'] as const;

/**
 * A change's `to` is what the version itself contributes (`countedReview` of its facts), so it is
 * stored as `toSelf` instead of a second copy of the review and its analysis.
 */
interface StoredChange { key: string; from: ReviewChange['from']; to?: ReviewChange['to']; toSelf?: true }

function toStored(doc: ReviewStateDocument): ReviewStateDocument {
  const stored: Record<string, unknown> = { ...doc };
  if (doc.analysis !== null && typeof doc.analysis === 'object') stored.analysis = JSON.stringify(doc.analysis);
  if (doc.change !== null && typeof doc.change === 'object') {
    const { key, from, to } = doc.change;
    const self = JSON.stringify(to) === JSON.stringify(countedReview(doc.reviewId, doc));
    stored.change = JSON.stringify(self ? { key, from, toSelf: true } : { key, from, to });
  }
  return stored as unknown as ReviewStateDocument;
}

function fromStored(doc: ReviewStateDocument): ReviewStateDocument {
  const fields = doc as unknown as Record<string, unknown>;
  for (const key of PACKED) if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
  const change = fields.change as StoredChange | null | undefined;
  if (change?.toSelf) doc.change = { key: change.key, from: change.from, to: countedReview(doc.reviewId, doc) };
  return doc;
}

/** The versions of what applications knows of each review (from its events), and which changes reached the aggregates. */
export class ReviewStateRepository {
  readonly collection: Collection<ReviewStateDocument>;
  readonly applied: Collection<AppliedMarker>;

  /**
   * The latest version of a review's state that this process applied, by state id. Versions are
   * insert-only and numbered, so inserting the next one is the check that it is still the latest.
   */
  readonly known: BoundedCache<string, ReviewStateDocument>;

  constructor(private readonly database: Database, knownLimit = KNOWN_STATES) {
    this.collection = database.db.collection<ReviewStateDocument>('review_states');
    this.applied = database.db.collection<AppliedMarker>('review_changes_applied');
    this.known = new BoundedCache(knownLimit);
  }

  async ensureIndexes(): Promise<void> {
    // Read and written by _id only (one product's states are one _id range, for rebuilds).
  }

  /** Every version of each state, oldest first, read PROBE versions at a time by `_id`. */
  async versions(tenantId: string, stateIds: readonly string[]): Promise<Map<string, ReviewStateDocument[]>> {
    const result = new Map<string, ReviewStateDocument[]>(stateIds.map((id) => [id, []]));
    let open = [...new Set(stateIds)];
    for (let from = 1; open.length > 0; from += PROBE) {
      const ids = open.flatMap((id) => Array.from({ length: PROBE }, (_, i) => stateVersionId(id, from + i)));
      const found = await findByIds(this.database, this.collection, tenantId, ids);
      const docs = [...found.values()].map(fromStored).sort((a, b) => a.version - b.version);
      for (const doc of docs) result.get(doc.stateId)!.push(doc);
      open = open.filter((id) => result.get(id)!.length === from + PROBE - 1);
    }
    return result;
  }

  /** Which of these version ids have their change applied. */
  async appliedOf(tenantId: string, versionIds: readonly string[]): Promise<Set<string>> {
    return new Set((await findByIds(this.database, this.applied, tenantId, versionIds)).keys());
  }

  /** Inserts a new version; false when another writer made that version first. */
  async insertVersion(doc: ReviewStateDocument): Promise<boolean> {
    return insertIfAbsent(this.collection, toStored(doc));
  }

  /** Inserts new versions in one call; returns the indexes of those another writer made first. */
  insertVersions(docs: readonly ReviewStateDocument[]): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(this.collection, docs.map(toStored));
  }

  /**
   * Versions in `_id` order after `afterId` (all products' states, one product's a range), for rebuilds:
   * one `_id` range read with its sort and limit (from `''` for the first page, so it is a range too).
   */
  async pageAfter(afterId: string | null, limit: number): Promise<ReviewStateDocument[]> {
    const page = await this.collection.find({ _id: { $gt: afterId ?? '' } }, { sort: { _id: 1 }, limit, comment: 'rebuildPage' }).toArray();
    return page.map(fromStored);
  }

  async markApplied(tenantId: string, versionIds: readonly string[]): Promise<void> {
    await insertManyIgnoringDuplicates(this.applied, versionIds.map((_id) => ({ _id, tenantId })));
  }
}
