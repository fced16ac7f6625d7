import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { DEVELOPMENT_SECRET } from '../../lib/config.js';
import { INTERNAL_CONTEXT_HEADER, signInternalContext } from '../../lib/internal-context.js';
import type { Logger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { createAuthenticator, presentedKey, type Caller } from './auth.js';
import type { GatewayConfig } from './config.js';
import { depthLimitRule } from './depth-limit.js';
import { RateLimiter } from './rate-limit.js';
import { loadSupergraph } from './supergraph.js';

interface RequestState { caller: Caller; requestId: string }

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the gateway over the committed supergraph: API keys, limits, signed context to subgraphs, masked errors, /health. */
export function createGateway(config: GatewayConfig, log: Logger): { server: Server; dispose(): Promise<void> } {
  const subgraphUrls = { collection: config.COLLECTION_URL, analysis: config.ANALYSIS_URL, applications: config.APPLICATIONS_URL };
  const auth = createAuthenticator(config.API_KEYS, config.DEFAULT_TENANT);
  if (config.INTERNAL_SECRET === DEVELOPMENT_SECRET) log.warn('INTERNAL_SECRET is the development default: set your own before exposing anything');
  if (auth.open) log.warn({ tenant: config.DEFAULT_TENANT }, 'no API_KEYS configured: every caller acts as the default tenant with read and write');
  const states = new WeakMap<Request, RequestState>();
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);

  const guard: GatewayPlugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      const url = new URL(request.url);
      if (url.pathname !== '/graphql') return;
      const caller = auth.authenticate(presentedKey(request.headers));
      if (!caller) {
        endResponse(fetchAPI.Response.json({ errors: [{ message: 'A valid API key is required (x-api-key header)', extensions: { code: 'UNAUTHENTICATED' } }] }, { status: 401 }));
        return;
      }
      const wait = limiter.take(caller.keyId ?? `tenant:${caller.tenantId}`);
      if (wait > 0) {
        endResponse(fetchAPI.Response.json({ errors: [{ message: `Rate limit exceeded; retry in ${wait} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: wait } }] }, { status: 429, headers: { 'retry-after': String(wait) } }));
        return;
      }
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > config.MAX_QUERY_BYTES * 50) {
        endResponse(fetchAPI.Response.json({ errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }] }, { status: 413 }));
        return;
      }
      const given = request.headers.get('x-request-id');
      states.set(request, { caller, requestId: given && REQUEST_ID.test(given) ? given : randomUUID() });
    },
    onParams({ params }) {
      if (typeof params.query === 'string' && params.query.length > config.MAX_QUERY_BYTES) {
        throw new GraphQLError(`Query is ${params.query.length} characters; the limit is ${config.MAX_QUERY_BYTES}`, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
      }
    },
    onResultProcess({ result, setResult }) {
      // Yoga attaches the parser's own error to request errors (bad JSON bodies); clients get the message alone.
      const strip = (r: unknown) => {
        const errors = (r as { errors?: Array<{ extensions?: Record<string, unknown> }> }).errors;
        for (const error of errors ?? []) if (error.extensions) delete error.extensions.originalError;
        return r;
      };
      if (Array.isArray(result)) setResult(result.map(strip) as typeof result);
      else if (result && typeof result === 'object' && 'errors' in result) setResult(strip(result) as typeof result);
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimitRule(config.MAX_QUERY_DEPTH));
    },
    onExecute({ args }) {
      const operation = (args.document as DocumentNode).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      const state = states.get((args.contextValue as { request: Request }).request);
      if (operation && 'operation' in operation && operation.operation === 'mutation' && !state?.caller.scopes.includes('write')) {
        throw new GraphQLError('This API key may only read', { extensions: { code: 'FORBIDDEN' } });
      }
    },
  };

  const runtime = createGatewayRuntime({
    supergraph: () => loadSupergraph(subgraphUrls),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: { isDev: false },
    logging: false,
    plugins: () => [guard],
    propagateHeaders: {
      fromClientToSubgraphs({ request }) {
        const state = states.get(request);
        if (!state) return {};
        return { [INTERNAL_CONTEXT_HEADER]: signInternalContext({ ...state.caller, requestId: state.requestId }, config.INTERNAL_SECRET), 'x-request-id': state.requestId };
      },
    },
  });

  const subgraphsHealthy = async (): Promise<boolean> => {
    const checks = Object.values(subgraphUrls).map(async (url) => {
      const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2_000) });
      return response.ok;
    });
    return (await Promise.allSettled(checks)).every((c) => c.status === 'fulfilled' && c.value);
  };

  const metrics = createMetrics('gateway');
  const server = createServer(async (req, res) => {
    const path = ['/graphql', '/health', '/metrics'].includes((req.url ?? '').split('?')[0]!) ? (req.url ?? '').split('?')[0]! : 'other';
    const stopTimer = metrics.httpDuration.startTimer({ path });
    res.once('finish', () => {
      stopTimer();
      metrics.httpRequests.inc({ path, status: String(res.statusCode) });
    });
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
      return;
    }
    if (req.url === '/health') {
      const healthy = await subgraphsHealthy();
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: healthy ? 'ok' : 'degraded' }));
      return;
    }
    await runtime(req, res);
  });
  return { server, dispose: async () => { await runtime.dispose(); } };
}
