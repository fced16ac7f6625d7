import type { StreamSpec } from './bus/index.js';

/** The review domain's stream; every service that publishes or consumes review events declares it. */
export const REVIEWS_STREAM: StreamSpec = { name: 'REVIEWS', subjects: ['review.>'] };
