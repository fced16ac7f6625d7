import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { parse } from 'graphql';
import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { Database } from '../../../lib/mongo.js';
import type { ReviewTopics } from '../../../lib/streams.js';
import { createGraphQLHttpServer } from '../../../lib/http-server.js';
import { createSubgraphApollo, requireInternalContext } from '../../../lib/subgraph.js';
import type { CollectionContext } from './context.js';
import { createLoaders } from './loaders.js';
import { OutboxRepository } from './repositories/outbox-repository.js';
import { ProductRepository } from './repositories/product-repository.js';
import { ReviewRepository } from './repositories/review-repository.js';
import { resolvers } from './resolvers/index.js';
import type { EventPublisher } from './services/review-events.js';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export interface CollectionServices {
  products: ProductRepository;
  reviews: ReviewRepository;
  outbox: OutboxRepository;
  publisher: EventPublisher;
  topics: ReviewTopics;
  log: Logger;
}

export interface CollectionServerDeps { database: Database; publisher: EventPublisher; topics: ReviewTopics; log: Logger; internalSecret: string }

/** Builds the collection subgraph (repositories, Apollo server, HTTP handler) without listening. */
export async function createServer(deps: CollectionServerDeps) {
  const services: CollectionServices = {
    products: new ProductRepository(deps.database),
    reviews: new ReviewRepository(deps.database),
    outbox: new OutboxRepository(deps.database),
    publisher: deps.publisher,
    topics: deps.topics,
    log: deps.log,
  };
  await Promise.all([services.products.ensureIndexes(), services.reviews.ensureIndexes(), services.outbox.ensureIndexes()]);
  const apollo = createSubgraphApollo<CollectionContext>(typeDefs, resolvers, deps.log);
  await apollo.start();
  const contextFor = (caller: InternalContext): CollectionContext => ({
    caller,
    tenantId: caller.tenantId,
    services,
    loaders: createLoaders(caller.tenantId, services),
    log: deps.log.child({ requestId: caller.requestId }),
  });
  const http = createGraphQLHttpServer<CollectionContext>({
    apollo,
    log: deps.log,
    context: async (req: IncomingMessage) => contextFor(requireInternalContext(req, deps.internalSecret)),
    health: async () => (await deps.database.db.command({ ping: 1 })).ok === 1,
  });
  return { apollo, http, services, contextFor };
}
