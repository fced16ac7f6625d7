import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../../../lib/errors.js';
import { findByIds, type Database } from '../../../../lib/mongo.js';
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

  /**
   * Stores a new result only if the document is still at `expectedRevision` (or absent when it is 0),
   * so two workers racing on one review cannot both apply a result. Returns false when it lost the race.
   */
  async saveRevision(doc: AnalysisDocument, expectedRevision: number): Promise<boolean> {
    if (expectedRevision === 0) {
      try {
        await this.collection.insertOne(doc);
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    const result = await this.collection.replaceOne({ _id: doc._id, tenantId: doc.tenantId, revision: expectedRevision }, doc);
    return result.modifiedCount === 1;
  }

  /** Ids of analyses made by any model other than `modelVersion`, after `afterId`, in id order. */
  async listOutdated(modelVersion: string, afterId: string | null, limit: number): Promise<Array<Pick<AnalysisDocument, '_id' | 'tenantId'>>> {
    const filter = afterId ? { modelVersion: { $ne: modelVersion }, _id: { $gt: afterId } } : { modelVersion: { $ne: modelVersion } };
    return this.collection.find(filter, { projection: { _id: 1, tenantId: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
  }

  async countOutdated(modelVersion: string): Promise<number> {
    return this.collection.countDocuments({ modelVersion: { $ne: modelVersion } });
  }
}
