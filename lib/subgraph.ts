import type { IncomingMessage } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import { UnauthenticatedError, isExposedError } from './errors.js';
import { INTERNAL_CONTEXT_HEADER, verifyInternalContext, type InternalContext } from './internal-context.js';
import type { Logger } from './logger.js';

/** Builds an Apollo subgraph server whose unexpected errors reach clients only as "Internal server error". */
export function createSubgraphApollo<TContext extends BaseContext>(typeDefs: DocumentNode, resolvers: unknown, log: Logger): ApolloServer<TContext> {
  return new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs, resolvers } as Parameters<typeof buildSubgraphSchema>[0]),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
      if (isExposedError(formatted.extensions?.code)) return formatted;
      log.error({ err: (error as { originalError?: unknown })?.originalError ?? error, path: formatted.path }, 'resolver failed');
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    },
  });
}

/** Reads and verifies the gateway's signed context from a request, or refuses it. */
export function requireInternalContext(req: IncomingMessage, secret: string): InternalContext {
  const raw = req.headers[INTERNAL_CONTEXT_HEADER];
  const context = verifyInternalContext(Array.isArray(raw) ? raw[0] : raw, secret);
  if (!context) throw new UnauthenticatedError('This service only answers the reviewgraph gateway');
  return context;
}
