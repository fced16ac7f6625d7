import type { ReviewResolvers } from '../__generated__/resolvers-types.js';
import type { AnalysisDocument } from '../models/analysis.js';

/** Shown for a review whose event has not reached analysis yet. */
function pending(reviewId: string, tenantId: string): AnalysisDocument {
  return {
    _id: reviewId, tenantId, productId: '', productCategory: null, text: '', locale: null, reviewCreatedAt: new Date(0),
    status: 'PENDING', statusReason: 'queued for analysis', sentiment: null, aspects: [], language: null, languageConfidence: null,
    keyphrases: [], evidence: [], modelVersion: null, analyzedAt: null, revision: 0, previousLabel: null,
  };
}

export const Review: ReviewResolvers = {
  __resolveReference: (reference) => reference,
  analysis: async (review, _args, { loaders, tenantId }) => (await loaders.analysis.load(review.id)) ?? pending(review.id, tenantId),
};
