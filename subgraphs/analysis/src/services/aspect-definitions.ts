import { defaultTaxonomy } from '../nlp/index.js';
import type { TaxonomyRepository } from '../repositories/taxonomy-repository.js';

/** The aspects of a category as a tenant sees them: defaults merged with its own terms. */
export async function aspectDefinitions(taxonomies: TaxonomyRepository, tenantId: string, category: string | null) {
  const base = defaultTaxonomy(category);
  const custom = await taxonomies.extensionsFor(tenantId, category);
  const aspects = [...new Set([...Object.keys(base), ...Object.keys(custom)])].sort();
  return aspects.map((aspect) => ({ aspect, terms: [...new Set([...(base[aspect] ?? []), ...(custom[aspect] ?? [])])], custom: aspect in custom }));
}
