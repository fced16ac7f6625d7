import type { Bus } from '../../../../lib/bus/index.js';
import type { Logger } from '../../../../lib/logger.js';
import type { ReviewTopics } from '../../../../lib/streams.js';
import type { OutboxRepository } from '../repositories/outbox-repository.js';
import type { ProductRepository } from '../repositories/product-repository.js';
import type { ReviewRepository } from '../repositories/review-repository.js';
import type { ReviewTombstoneRepository } from '../repositories/review-tombstone-repository.js';
import type { Sources } from './sources.js';

export type EventPublisher = Pick<Bus, 'publishMany'>;

/** What the collection subgraph's resolvers, intake and sweeper work with. */
export interface CollectionServices {
  products: ProductRepository;
  reviews: ReviewRepository;
  outbox: OutboxRepository;
  tombstones: ReviewTombstoneRepository;
  sources: Sources;
  publisher: EventPublisher;
  topics: ReviewTopics;
  log: Logger;
}
