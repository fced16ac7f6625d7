import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { Metrics } from '../../../lib/metrics.js';
import type { Database } from '../../../lib/mongo.js';
import type { ReviewTopics } from '../../../lib/streams.js';
import { loadSchema, serveSubgraph } from '../../../lib/subgraph.js';
import type { CollectionContext } from './context.js';
import { createLoaders } from './loaders.js';
import { OutboxRepository } from './repositories/outbox-repository.js';
import { ProductRepository } from './repositories/product-repository.js';
import { ReviewRepository } from './repositories/review-repository.js';
import { ReviewTombstoneRepository } from './repositories/review-tombstone-repository.js';
import { ChangeFeedRepository } from './repositories/change-feed-repository.js';
import { IdempotencyRepository } from './repositories/idempotency-repository.js';
import { ReviewRevisionRepository } from './repositories/review-revision-repository.js';
import { ModerationRepository } from './repositories/moderation-repository.js';
import { SourceRepository } from './repositories/source-repository.js';
import { resolvers } from './resolvers/index.js';
import type { CollectionServices, EventPublisher } from './services/collection-services.js';
import { Sources } from './services/sources.js';

export const typeDefs = loadSchema(new URL('../schema.graphql', import.meta.url));

export interface CollectionServerDeps { database: Database; publisher: EventPublisher; topics: ReviewTopics; log: Logger; internalSecret: string; metrics?: Metrics }

/** Builds the collection subgraph (repositories, Apollo server, HTTP handler) without listening. */
export async function createServer(deps: CollectionServerDeps) {
  const services: CollectionServices = {
    products: new ProductRepository(deps.database),
    reviews: new ReviewRepository(deps.database),
    outbox: new OutboxRepository(deps.database),
    tombstones: new ReviewTombstoneRepository(deps.database),
    revisions: new ReviewRevisionRepository(deps.database),
    changes: new ChangeFeedRepository(deps.database),
    idempotency: new IdempotencyRepository(deps.database),
    sources: new Sources(new SourceRepository(deps.database)),
    moderation: new ModerationRepository(deps.database),
    publisher: deps.publisher,
    topics: deps.topics,
    log: deps.log,
  };
  await Promise.all([services.products.ensureIndexes(), services.reviews.ensureIndexes(), services.outbox.ensureIndexes(), services.tombstones.ensureIndexes()]);
  await Promise.all([services.revisions.ensureIndexes(), services.changes.ensureIndexes(services.reviews.collection), services.idempotency.ensureIndexes()]);
  const contextFor = (caller: InternalContext): CollectionContext => ({
    caller,
    tenantId: caller.tenantId,
    services,
    loaders: createLoaders(caller.tenantId, services),
    log: deps.log.child({ requestId: caller.requestId }),
  });
  const { apollo, http } = await serveSubgraph({ typeDefs, resolvers, database: deps.database, internalSecret: deps.internalSecret, log: deps.log, metrics: deps.metrics, contextFor });
  return { apollo, http, services, contextFor };
}
