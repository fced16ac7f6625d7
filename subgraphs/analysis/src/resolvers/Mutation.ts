import { requireScope } from '../../../../lib/scopes.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { aspectDefinitions } from '../services/aspect-definitions.js';
import { cleanTaxonomyInput } from '../validation/taxonomy-input.js';

export const Mutation: MutationResolvers = {
  extendAspectTaxonomy: async (_parent, { input }, context) => {
    requireScope(context, 'write');
    const { services, tenantId } = context;
    const { category, aspect, terms } = cleanTaxonomyInput(input);
    await services.taxonomies.addTerms(tenantId, category, aspect, terms);
    return aspectDefinitions(services.taxonomies, tenantId, category);
  },
};
