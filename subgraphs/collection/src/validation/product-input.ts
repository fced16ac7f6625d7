import type { ProductInput } from '../__generated__/resolvers-types.js';
import type { ProductFields } from '../repositories/product-repository.js';
import { ItemRejected, optionalString, requiredString } from './rejection.js';

const SKU = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
const CATEGORY = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Checks one product input; throws ItemRejected naming the first bad field. */
export function cleanProductInput(input: ProductInput): ProductFields {
  const sku = requiredString(input.sku, 'sku', 64);
  if (!SKU.test(sku)) throw new ItemRejected('sku', 'INVALID', 'sku may hold letters, digits and . _ - / (up to 64)');
  const category = optionalString(input.category, 'category', 64);
  if (category !== null && !CATEGORY.test(category)) throw new ItemRejected('category', 'INVALID', 'category is a lowercase slug such as sport-watch');
  return {
    sku,
    name: requiredString(input.name, 'name', 200),
    brand: optionalString(input.brand, 'brand', 100),
    category,
  };
}
