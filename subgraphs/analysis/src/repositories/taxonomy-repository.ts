import type { Collection } from 'mongodb';
import { retryTransient, type Database } from '../../../../lib/mongo.js';
import { ANY_CATEGORY, taxonomyExtensionId, type TaxonomyExtensionDocument } from '../models/taxonomy.js';
import type { Taxonomy } from '../nlp/index.js';

export class TaxonomyRepository {
  readonly collection: Collection<TaxonomyExtensionDocument>;

  constructor(database: Database) {
    this.collection = database.db.collection<TaxonomyExtensionDocument>('taxonomies');
  }

  async ensureIndexes(): Promise<void> {
    // Read by _id only.
  }

  /** The tenant's extensions that apply to a category: its all-category terms, then the category's own. */
  async extensionsFor(tenantId: string, category: string | null): Promise<Taxonomy> {
    const ids = [taxonomyExtensionId(tenantId, ANY_CATEGORY), ...(category ? [taxonomyExtensionId(tenantId, category)] : [])];
    const docs = await Promise.all(ids.map((_id) => this.collection.findOne({ _id })));
    const taxonomy: Taxonomy = {};
    for (const doc of docs) {
      if (!doc || doc.tenantId !== tenantId) continue;
      for (const { aspect, terms } of doc.aspects) taxonomy[aspect] = [...new Set([...(taxonomy[aspect] ?? []), ...terms])];
    }
    return taxonomy;
  }

  /** Adds terms to one aspect of a tenant's category extension; one writer per tenant is expected (an admin action). */
  async addTerms(tenantId: string, category: string | null, aspect: string, terms: string[], now = new Date()): Promise<void> {
    const cat = category ?? ANY_CATEGORY;
    const _id = taxonomyExtensionId(tenantId, cat);
    const existing = await this.collection.findOne({ _id });
    const aspects = (existing?.aspects ?? []).filter((a) => a.aspect !== aspect);
    const previous = existing?.aspects.find((a) => a.aspect === aspect)?.terms ?? [];
    aspects.push({ aspect, terms: [...new Set([...previous, ...terms])] });
    await retryTransient(() => this.collection.replaceOne({ _id }, { tenantId, category: cat, aspects, updatedAt: now }, { upsert: true }));
  }
}
