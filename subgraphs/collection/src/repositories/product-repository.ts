import type { Collection } from 'mongodb';
import { backfillListEntries, ListEntries, type ListPage } from '../../../../lib/list-entries.js';
import { findByIds, retryTransient, type Database } from '../../../../lib/mongo.js';
import { productList, productListEntry } from '../models/lists.js';
import { productIdFor, type ProductDocument } from '../models/product.js';


export interface ProductFields { sku: string; name: string; brand: string | null; category: string | null }

export class ProductRepository {
  readonly collection: Collection<ProductDocument>;
  /** The products' entries in the tenant's product list (models/lists.ts). */
  readonly lists: ListEntries;

  constructor(private readonly database: Database) {
    this.collection = database.db.collection<ProductDocument>('products');
    this.lists = new ListEntries(database.db, 'list_entries');
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ tenantId: 1, sku: 1 }, { unique: true, name: 'tenant_sku' });
    await backfillListEntries(this.lists, 'products', this.collection, (product) => [productListEntry(product)]);
  }

  /** Creates or updates one product by SKU; one atomic upsert per product. */
  async upsertBySku(tenantId: string, fields: ProductFields, now = new Date()): Promise<ProductDocument> {
    const _id = productIdFor(tenantId, fields.sku);
    // the list entry first: a crash before the upsert leaves an entry without a product, skipped when read
    await this.lists.add([productListEntry({ _id, tenantId })]);
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

  /** A page of the tenant's products in id order: one range read of the list, one `$in` read of the products. */
  listPage(tenantId: string, first: number, afterKey: string | null): Promise<ListPage<ProductDocument>> {
    return this.lists.readPage(productList(tenantId), afterKey, first, 'listProducts', async (entries) => {
      const found = await this.findByIds(tenantId, entries.map((e) => e.ref));
      return entries.map((e) => found.get(e.ref) ?? null);
    });
  }
}
