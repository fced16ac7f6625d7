import { BadUserInputError } from '../../../../lib/errors.js';
import { requireScope } from '../../../../lib/scopes.js';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import type { ProductDocument } from '../models/product.js';
import { deleteReviews } from '../services/review-deletion.js';
import { moderateReviews, setModerationPolicy } from '../services/moderation.js';
import { submitReviewsOnce } from '../services/review-submission.js';
import { cleanProductInput } from '../validation/product-input.js';
import { ItemRejected, MAX_BATCH, type Rejection } from '../validation/rejection.js';

export const Mutation: MutationResolvers = {
  upsertProducts: async (_parent, { input }, context) => {
    requireScope(context, 'write');
    const { services, tenantId } = context;
    if (input.products.length > MAX_BATCH) {
      throw new BadUserInputError(`upsertProducts takes at most ${MAX_BATCH} products per call; got ${input.products.length}`);
    }
    const products: ProductDocument[] = [];
    const rejected: Rejection[] = [];
    for (const [index, raw] of input.products.entries()) {
      try {
        products.push(await services.products.upsertBySku(tenantId, cleanProductInput(raw)));
      } catch (error) {
        if (!(error instanceof ItemRejected)) throw error;
        rejected.push({ index, field: error.field, code: error.code, message: error.message });
      }
    }
    return { products, rejected };
  },
  submitReviews: (_parent, { input }, context) => {
    requireScope(context, 'write');
    return submitReviewsOnce(context.services, context.tenantId, input.reviews, input.idempotencyKey, context.caller.requestId);
  },
  deleteReviews: (_parent, { ids }, context) => {
    requireScope(context, 'write');
    return deleteReviews(context.services, context.tenantId, ids, context.caller.requestId);
  },
  createSource: (_parent, { input }, context) => {
    requireScope(context, 'write');
    return context.services.sources.create(context.tenantId, input);
  },
  updateSource: (_parent, { input }, context) => {
    requireScope(context, 'write');
    return context.services.sources.update(context.tenantId, input);
  },
  moderateReviews: (_parent, args, context) => {
    requireScope(context, 'moderate');
    return moderateReviews(context.services, context.tenantId, args, context.caller.requestId);
  },
  setModerationPolicy: (_parent, { hold, sourceBurstLimit }, context) => {
    requireScope(context, 'moderate');
    return setModerationPolicy(context.services, context.tenantId, hold, sourceBurstLimit);
  },
};
