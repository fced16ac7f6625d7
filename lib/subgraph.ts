import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable.js';
import { UnauthenticatedError, isExposedError } from './errors.js';
import { INTERNAL_CONTEXT_HEADER, MAX_AGE_MS, MAX_CLOCK_SKEW_MS, verifyInternalContext, type InternalContext } from './internal-context.js';
import { ReplayGuard } from './replay-guard.js';
import { requireScope, scopeForOperationNode } from './scopes.js';
import { createGraphQLHttpServer } from './http-server.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { Database } from './mongo.js';

/**
 * Refuses an operation the signed context's scopes do not cover before any resolver runs (FORBIDDEN,
 * HTTP 403): mutations need `write` (moderation its own scope, see scopes.ts), queries (reads and `_entities`) need `read`, so `scopes: []` gets nothing.
 */
function scopePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation) requireScope(contextValue as unknown as { caller: InternalContext }, scopeForOperationNode(operation));
        },
      };
    },
  };
}

/** A database failure in a mutation may have been applied: its answer says so (formatError does not see the operation). */
function databaseUnavailablePlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const write = new DatabaseUnavailableError('write');
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors?.some((e) => e.extensions?.code === 'DATABASE_UNAVAILABLE')) return;
          result.errors = result.errors.map((e) => (e.extensions?.code === 'DATABASE_UNAVAILABLE' ? { message: write.message, path: e.path, extensions: write.extensions } : e));
        },
      };
    },
  };
}

/** Builds an Apollo subgraph server whose unexpected errors reach clients only as "Internal server error". */
function createSubgraphApollo<TContext extends BaseContext>(typeDefs: DocumentNode, resolvers: unknown, log: Logger): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs, resolvers } as Parameters<typeof buildSubgraphSchema>[0]),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), scopePlugin<TContext>(), databaseUnavailablePlugin<TContext>()],
    formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
      if (isExposedError(formatted.extensions?.code)) return formatted;
      const original = (error as { originalError?: unknown })?.originalError ?? error;
      if (isDatabaseUnavailable(original)) {
        log.warn({ err: original, path: formatted.path }, 'database unavailable');
        const read = new DatabaseUnavailableError('read');
        return { message: read.message, path: formatted.path, extensions: read.extensions };
      }
      log.error({ err: (error as { originalError?: unknown })?.originalError ?? error, path: formatted.path }, 'resolver failed');
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
}

/** Reads the gateway's signed context and verifies it against the body bytes received, or refuses the request (HTTP 401). */
function requireInternalContext(req: IncomingMessage, rawBody: Buffer, secret: string, replays: ReplayGuard): InternalContext {
  const raw = req.headers[INTERNAL_CONTEXT_HEADER];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const context = verifyInternalContext(header, secret, rawBody);
  if (!context) throw new UnauthenticatedError('This service only answers the reviewgraph gateway: the signed context is missing, invalid, expired or was signed for another request');
  if (!replays.firstUse(header!.slice(header!.lastIndexOf('.') + 1))) throw new UnauthenticatedError('This signed context was already used: each one is good for one request');
  return context;
}

export interface SubgraphServing<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  http: Server;
}

/**
 * Starts a subgraph's Apollo server and wraps it in its HTTP handler (not listening): every request
 * must carry the gateway's signature, and /health pings the subgraph's database.
 */
export async function serveSubgraph<TContext extends BaseContext>(options: {
  typeDefs: DocumentNode;
  resolvers: unknown;
  database: Database;
  internalSecret: string;
  log: Logger;
  metrics?: Metrics;
  contextFor: (caller: InternalContext) => TContext;
}): Promise<SubgraphServing<TContext>> {
  const apollo = createSubgraphApollo<TContext>(options.typeDefs, options.resolvers, options.log);
  await apollo.start();
  const replays = new ReplayGuard(MAX_AGE_MS + MAX_CLOCK_SKEW_MS);
  const http = createGraphQLHttpServer<TContext>({
    apollo,
    log: options.log,
    metrics: options.metrics,
    context: async (req, rawBody) => options.contextFor(requireInternalContext(req, rawBody, options.internalSecret, replays)),
    health: async () => (await options.database.db.command({ ping: 1 })).ok === 1,
  });
  return { apollo, http };
}

/** Reads a subgraph's SDL file, given as a URL relative to the caller. */
export function loadSchema(url: URL): DocumentNode {
  return parse(readFileSync(url, 'utf8'));
}
