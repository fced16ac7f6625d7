import { BadUserInputError } from '../../../../lib/errors.js';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';

export const MAX_SYNC_TEXT = 5_000;

export const Query: QueryResolvers = {
  analyzeText: (_parent, { text, locale, category }, { services }) => {
    if (text.length > MAX_SYNC_TEXT) {
      throw new BadUserInputError(`analyzeText takes at most ${MAX_SYNC_TEXT} characters; got ${text.length}. Submit longer reviews through submitReviews.`, { argument: 'text' });
    }
    return services.analyzer.analyze(text, { locale, category });
  },
};
