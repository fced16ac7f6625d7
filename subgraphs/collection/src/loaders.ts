import DataLoader from 'dataloader';
import type { ProductDocument } from './models/product.js';
import type { ReviewDocument } from './models/review.js';
import type { ProductRepository } from './repositories/product-repository.js';
import type { ReviewRepository } from './repositories/review-repository.js';
import type { SourceDocument } from './models/source.js';
import type { Sources } from './services/sources.js';

export interface CollectionLoaders {
  product: DataLoader<string, ProductDocument | null>;
  review: DataLoader<string, ReviewDocument | null>;
  source: DataLoader<string, SourceDocument | null>;
  /** By name, as reviews carry it; a name no source has yet becomes one (see Sources.byNames). */
  sourceByName: DataLoader<string, SourceDocument>;
}

/** Per-request loaders: every id asked for in one tick becomes one repository call. */
export function createLoaders(tenantId: string, repos: { products: ProductRepository; reviews: ReviewRepository; sources: Sources }): CollectionLoaders {
  return {
    product: new DataLoader(async (ids) => {
      const found = await repos.products.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    review: new DataLoader(async (ids) => {
      const found = await repos.reviews.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    source: new DataLoader(async (ids) => {
      const found = await repos.sources.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    sourceByName: new DataLoader((names) => repos.sources.byNames(tenantId, names)),
  };
}
