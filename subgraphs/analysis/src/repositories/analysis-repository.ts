import type { Collection } from 'mongodb';
import { findByIds, insertManyIgnoringDuplicates, retryTransient, type Database } from '../../../../lib/mongo.js';
import type { AnalysisDocument } from '../models/analysis.js';

export class AnalysisRepository {
  readonly collection: Collection<AnalysisDocument>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<AnalysisDocument>('analyses');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ modelVersion: 1, _id: 1 }, { name: 'model_version' });
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, AnalysisDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  /** Stores first results in one insert; returns the indexes of reviews another worker stored first. */
  insertFirstResults(docs: AnalysisDocument[]): Promise<Set<number>> {
    return insertManyIgnoringDuplicates(this.collection, docs);
  }

  /** Replaces a result only if it is still at `expectedRevision`; false when another writer got there first. */
  async saveRevision(doc: AnalysisDocument, expectedRevision: number): Promise<boolean> {
    const result = await retryTransient(() => this.collection.replaceOne({ _id: doc._id, tenantId: doc.tenantId, revision: expectedRevision }, doc));
    return result.modifiedCount === 1;
  }

  /** A page of analyses made by any model other than `modelVersion`, after `afterId`, in id order, with what re-analysis needs. */
  async listOutdated(modelVersion: string, afterId: string | null, limit: number): Promise<AnalysisDocument[]> {
    const outdated = { modelVersion: { $ne: modelVersion }, status: { $ne: 'DELETED' as const } };
    const filter = afterId ? { ...outdated, _id: { $gt: afterId } } : outdated;
    return this.collection
      .find(filter, { projection: { _id: 1, tenantId: 1, productId: 1, productCategory: 1, text: 1, locale: 1, reviewCreatedAt: 1, modelVersion: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
  }

  async countOutdated(modelVersion: string): Promise<number> {
    return this.collection.countDocuments({ modelVersion: { $ne: modelVersion }, status: { $ne: 'DELETED' } });
  }
}
