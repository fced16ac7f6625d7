import type { Bus } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import type { OutboxRepository } from '../repositories/outbox-repository.js';
import type { ProductRepository } from '../repositories/product-repository.js';
import type { ReviewRepository } from '../repositories/review-repository.js';
import type { ReviewTombstoneRepository } from '../repositories/review-tombstone-repository.js';
import type { ChangeFeedRepository } from '../repositories/change-feed-repository.js';
import type { IdempotencyRepository } from '../repositories/idempotency-repository.js';
import type { ReviewRevisionRepository } from '../repositories/review-revision-repository.js';
import type { ModerationRepository } from '../repositories/moderation-repository.js';
import type { Sources } from './sources.js';

export type EventPublisher = Pick<Bus, 'publishMany'>;

/** What the collection subgraph's resolvers, intake and sweeper work with. */
export interface CollectionServices {
  products: ProductRepository;
  reviews: ReviewRepository;
  outbox: OutboxRepository;
  tombstones: ReviewTombstoneRepository;
  /** Edits' revisions, the tenants' change feeds, and submitReviews idempotency keys. */
  revisions: ReviewRevisionRepository;
  changes: ChangeFeedRepository;
  idempotency: IdempotencyRepository;
  sources: Sources;
  moderation: ModerationRepository;
  publisher: EventPublisher;
  topics: ReviewTopics;
  log: Logger;
}
