/** A tenant's own aspect terms for one product category (`*` for every category). */
export interface TaxonomyExtensionDocument {
  _id: string;
  tenantId: string;
  category: string;
  aspects: Array<{ aspect: string; terms: string[] }>;
  updatedAt: Date;
}

export const ANY_CATEGORY = '*';

export function taxonomyExtensionId(tenantId: string, category: string): string {
  return `${tenantId}|${category}`;
}
