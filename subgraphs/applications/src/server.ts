import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { Database } from '../../../lib/mongo.js';
import { createGraphQLHttpServer } from '../../../lib/http-server.js';
import { createSubgraphApollo, requireInternalContext } from '../../../lib/subgraph.js';
import type { ApplicationsContext } from './context.js';
import { createLoaders } from './loaders.js';
import { InsightsRepository } from './repositories/insights-repository.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export interface ApplicationsServerDeps { database: Database; log: Logger; internalSecret: string }

/** Builds the applications subgraph without listening. */
export async function createServer(deps: ApplicationsServerDeps) {
  const insights = new InsightsRepository(deps.database);
  await insights.ensureIndexes();
  const apollo = createSubgraphApollo<ApplicationsContext>(typeDefs, resolvers, deps.log);
  await apollo.start();
  const contextFor = (caller: InternalContext): ApplicationsContext => ({ caller, tenantId: caller.tenantId, loaders: createLoaders(caller.tenantId, insights) });
  const http = createGraphQLHttpServer<ApplicationsContext>({
    apollo,
    log: deps.log,
    context: async (req) => contextFor(requireInternalContext(req, deps.internalSecret)),
    health: async () => (await deps.database.db.command({ ping: 1 })).ok === 1,
  });
  return { apollo, http, insights, contextFor };
}
