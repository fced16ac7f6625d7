import type { Collection } from 'mongodb';
import { findByIds, retryTransient, type Database } from '../../../../lib/mongo.js';
import { productIdFor, type ProductDocument } from '../models/product.js';

export interface ProductFields { sku: string; name: string; brand: string | null; category: string | null }

export class ProductRepository {
  readonly collection: Collection<ProductDocument>;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ProductDocument>('products');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, sku: 1 }, { unique: true, name: 'tenant_sku' });
  }

  /** Creates or updates one product by SKU; one atomic upsert per product. */
  async upsertBySku(tenantId: string, fields: ProductFields, now = new Date()): Promise<ProductDocument> {
    const _id = productIdFor(tenantId, fields.sku);
    const doc = await retryTransient(() => this.collection.findOneAndUpdate(
      { _id, tenantId },
      { $set: { ...fields, updatedAt: now }, $setOnInsert: { createdAt: now } },
      { upsert: true, returnDocument: 'after' },
    ));
    if (!doc) throw new Error(`upsert of product ${_id} returned nothing`);
    return doc;
  }

  findByIds(tenantId: string, ids: readonly string[]): Promise<Map<string, ProductDocument>> {
    return findByIds(this.database, this.collection, tenantId, ids);
  }

  async findBySku(tenantId: string, sku: string): Promise<ProductDocument | null> {
    return this.collection.findOne({ _id: productIdFor(tenantId, sku), tenantId });
  }

  /** A page of products ordered by id; scans on the embedded FerretDB, so pages stay bounded. */
  async listPage(tenantId: string, limit: number, afterId: string | null): Promise<ProductDocument[]> {
    const filter = afterId ? { tenantId, _id: { $gt: afterId } } : { tenantId };
    return this.collection.find(filter).sort({ _id: 1 }).limit(limit).toArray();
  }
}
