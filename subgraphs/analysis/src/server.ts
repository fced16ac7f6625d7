import type { InternalContext } from '../../../lib/internal-context.js';
import type { Logger } from '../../../lib/logger.js';
import type { Metrics } from '../../../lib/metrics.js';
import type { Database } from '../../../lib/mongo.js';
import { loadSchema, serveSubgraph } from '../../../lib/subgraph.js';
import type { AnalysisContext } from './context.js';
import { createLoaders } from './loaders.js';
import type { Analyzer } from './nlp/index.js';
import { AnalysisRepository } from './repositories/analysis-repository.js';
import { MentionRepository } from './repositories/mention-repository.js';
import { TaxonomyRepository } from './repositories/taxonomy-repository.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = loadSchema(new URL('../schema.graphql', import.meta.url));

export interface AnalysisServices {
  analyses: AnalysisRepository;
  mentions: MentionRepository;
  taxonomies: TaxonomyRepository;
  analyzer: Analyzer;
}

export interface AnalysisServerDeps { database: Database; analyzer: Analyzer; log: Logger; internalSecret: string; metrics?: Metrics }

/** Builds the analysis subgraph without listening. */
export async function createServer(deps: AnalysisServerDeps) {
  const services: AnalysisServices = {
    analyses: new AnalysisRepository(deps.database),
    mentions: new MentionRepository(deps.database),
    taxonomies: new TaxonomyRepository(deps.database),
    analyzer: deps.analyzer,
  };
  await Promise.all([services.analyses.ensureIndexes(), services.mentions.ensureIndexes(), services.taxonomies.ensureIndexes()]);
  const contextFor = (caller: InternalContext): AnalysisContext => ({
    caller,
    tenantId: caller.tenantId,
    services,
    loaders: createLoaders(caller.tenantId, services),
    log: deps.log.child({ requestId: caller.requestId }),
  });
  const { apollo, http } = await serveSubgraph({ typeDefs, resolvers, database: deps.database, internalSecret: deps.internalSecret, log: deps.log, metrics: deps.metrics, contextFor });
  return { apollo, http, services, contextFor };
}
