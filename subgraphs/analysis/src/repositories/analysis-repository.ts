import type { Collection } from 'mongodb';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { AnalysisDocument } from '../models/analysis.js';

/**
 * How an analysis is stored: what queries filter on stays in fields, and the nested result parts
 * (aspects, evidence, keyphrases), written once and always read whole, travel as one JSON string.
 * The embedded FerretDB spends most of its write time on nested arrays of objects: packing them
 * halved its CPU per stored review (0.75 → 0.41 ms, measured with bench:analysis).
 */
type StoredAnalysis = Omit<AnalysisDocument, 'aspects' | 'evidence' | 'keyphrases'> & { detail: string };

type AnalysisDetail = Pick<AnalysisDocument, 'aspects' | 'evidence' | 'keyphrases'>;

function toStored(doc: AnalysisDocument): StoredAnalysis {
  const { aspects, evidence, keyphrases, ...fields } = doc;
  const detail: AnalysisDetail = { aspects, evidence, keyphrases };
  return { ...fields, detail: JSON.stringify(detail) };
}

function fromStored(doc: StoredAnalysis): AnalysisDocument {
  const { detail, ...fields } = doc;
  // stored before details were packed: the parts are fields of their own
  if (typeof detail !== 'string') return fields as unknown as AnalysisDocument;
  const parts = JSON.parse(detail) as Partial<AnalysisDetail>;
  return { ...fields, aspects: parts.aspects ?? [], evidence: parts.evidence ?? [], keyphrases: parts.keyphrases ?? [] };
}

export class AnalysisRepository {
  private readonly collection: Collection<StoredAnalysis>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<StoredAnalysis>('analyses');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ modelVersion: 1, _id: 1 }, { name: 'model_version' });
  }

  async findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, AnalysisDocument>> {
    const found = await findByIds(this.database, this.collection, tenantId, ids);
    return new Map([...found].map(([id, doc]) => [id, fromStored(doc)]));
  }

  /** Stores first results in one insert; returns the indexes of reviews another worker stored first. */
  insertFirstResults(docs: AnalysisDocument[]): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(this.collection, docs.map(toStored));
  }

  /** Replaces a result only if it is still at `expectedRevision`; false when another writer got there first. */
  async saveRevision(doc: AnalysisDocument, expectedRevision: number): Promise<boolean> {
    const result = await retryTransient(() => this.collection.replaceOne({ _id: doc._id, tenantId: doc.tenantId, revision: expectedRevision }, toStored(doc)));
    return result.modifiedCount === 1;
  }

  /**
   * The next `limit` analyses in `_id` order after `afterId` (one `_id` range read with its sort and
   * limit, served by the `_id` index on MongoDB and on the embedded FerretDB), with those of them made
   * by a model other than `modelVersion`. `nextAfterId` is null once the store is read to its end, so
   * a whole run reads each analysis once, whatever is outdated.
   */
  async pageOutdated(modelVersion: string, afterId: string | null, limit: number): Promise<{ outdated: Array<Pick<AnalysisDocument, '_id' | 'tenantId' | 'productId' | 'productCategory' | 'text' | 'locale' | 'reviewCreatedAt' | 'modelVersion' | 'reviewRevision'>>; nextAfterId: string | null }> {
    const page = await retryTransient(() => this.collection
      .find({ _id: { $gt: afterId ?? '' } }, { projection: { _id: 1, tenantId: 1, productId: 1, productCategory: 1, text: 1, locale: 1, reviewCreatedAt: 1, modelVersion: 1, reviewRevision: 1, status: 1 }, sort: { _id: 1 }, limit, comment: 'reanalysisPage' })
      .toArray());
    const outdated = page.filter((doc) => doc.modelVersion !== modelVersion && doc.status !== 'DELETED').map(({ status: _status, ...doc }) => doc);
    return { outdated, nextAfterId: page.length === limit ? page.at(-1)!._id : null };
  }

  /** How many analyses are outdated, for a progress bar: one scan on the embedded FerretDB, once per run. */
  async countOutdated(modelVersion: string): Promise<number> {
    return this.collection.countDocuments({ modelVersion: { $ne: modelVersion }, status: { $ne: 'DELETED' } });
  }
}
