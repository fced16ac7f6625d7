import { BadUserInputError } from '../../../../lib/errors.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { aspectDefinitions } from '../services/aspect-definitions.js';
import { cleanCategory } from '../validation/taxonomy-input.js';

export const MAX_SYNC_TEXT = 5_000;

export const Query: QueryResolvers = {
  analyzeText: async (_parent, { text, locale, category }, { services, tenantId }) => {
    if (text.length > MAX_SYNC_TEXT) {
      throw new BadUserInputError(`analyzeText takes at most ${MAX_SYNC_TEXT} characters; got ${text.length}. Submit longer reviews through submitReviews.`, { argument: 'text' });
    }
    const cat = cleanCategory(category);
    const taxonomyExtensions = await services.taxonomies.extensionsFor(tenantId, cat);
    return services.analyzer.analyze(text, { locale, category: cat, taxonomyExtensions: Object.keys(taxonomyExtensions).length > 0 ? taxonomyExtensions : undefined });
  },
  aspectTaxonomy: (_parent, { category }, { services, tenantId }) => aspectDefinitions(services.taxonomies, tenantId, cleanCategory(category)),
};
