import DataLoader from 'dataloader';
import type { ProductDocument } from './models/product.js';
import type { ReviewDocument } from './models/review.js';
import type { ProductRepository } from './repositories/product-repository.js';
import type { ReviewRepository } from './repositories/review-repository.js';

export interface CollectionLoaders {
  product: DataLoader<string, ProductDocument | null>;
  review: DataLoader<string, ReviewDocument | null>;
}

/** Per-request loaders: every id asked for in one tick becomes one repository call. */
export function createLoaders(tenantId: string, repos: { products: ProductRepository; reviews: ReviewRepository }): CollectionLoaders {
  return {
    product: new DataLoader(async (ids) => {
      const found = await repos.products.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    review: new DataLoader(async (ids) => {
      const found = await repos.reviews.findByIds(tenantId, ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
