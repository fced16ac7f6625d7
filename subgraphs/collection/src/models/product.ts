import { createHash } from 'node:crypto';

export interface ProductDocument {
  _id: string;
  tenantId: string;
  sku: string;
  name: string;
  brand: string | null;
  category: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const PRODUCT_ID_PATTERN = /^prd_[0-9a-f]{24}$/;

/** Product ids derive from tenant + SKU, so a lookup by SKU is a point read and upserts cannot race into duplicates. */
export function productIdFor(tenantId: string, sku: string): string {
  return `prd_${createHash('sha256').update(`${tenantId}\u0000${sku}`).digest('hex').slice(0, 24)}`;
}
