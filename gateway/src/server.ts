import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type DocumentNode } from 'graphql';
import { DEVELOPMENT_SECRET } from '../../lib/config.js';
import { INTERNAL_CONTEXT_HEADER, signInternalContext } from '../../lib/internal-context.js';
import type { Logger } from '../../lib/logger.js';
import { createMetrics } from '../../lib/metrics.js';
import { bearerToken, createAuthenticator, presentedKey, scopeForOperation, unauthenticatedResponse, UNAUTHENTICATED_MESSAGE, WWW_AUTHENTICATE, type Caller } from './auth.js';
import type { GatewayConfig } from './config.js';
import { readBodyWithin } from './body-limit.js';
import { limitPlugins } from './limits.js';
import { RateLimiter } from './rate-limit.js';
import { subgraphFailurePlugin } from './resilience.js';
import { resultOrderPlugin } from './result-order.js';
import { assertContractExists, loadContractSupergraph, loadSupergraph } from './supergraph.js';
import { createUsageRecorder, usagePlugin } from './usage.js';

interface RequestState { caller: Caller; requestId: string }

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** The only paths the gateway answers; anything else (`/graphql/`, `//graphql`, `/GRAPHQL`, `/%67raphql`) is 404. */
const ROUTES = new Set(['/graphql', '/health', '/metrics']);
/** CSRF: only JSON posts, which a cross-site form cannot send without a CORS preflight. */
const JSON_MEDIA_TYPE = 'application/json';

/** The exact path of a request target, or null when it is not one the gateway serves. */
function routeOf(target: string | undefined): string | null {
  const path = (target ?? '').split('?')[0]!;
  return ROUTES.has(path) ? path : null;
}

/** Builds the gateway over the committed supergraph: API keys, limits, signed context to subgraphs, masked errors, /health. */
export function createGateway(config: GatewayConfig, log: Logger): { server: Server; dispose(): Promise<void> } {
  const subgraphUrls = { collection: config.COLLECTION_URL, analysis: config.ANALYSIS_URL, applications: config.APPLICATIONS_URL };
  const auth = createAuthenticator(config.API_KEYS, config.DEFAULT_TENANT);
  if (config.INTERNAL_SECRET === DEVELOPMENT_SECRET) log.warn('INTERNAL_SECRET is the development default: set your own before exposing anything');
  if (auth.open) log.warn({ tenant: config.DEFAULT_TENANT }, 'no API_KEYS configured: every caller acts as the default tenant with read and write');
  const states = new WeakMap<Request, RequestState>();
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);
  const production = config.NODE_ENV === 'production';
  const introspection = config.GRAPHQL_INTROSPECTION ?? !production;
  const suggestions = config.GRAPHQL_SUGGESTIONS ?? !production;

  const guard: GatewayPlugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      // Every request that reaches the runtime passes here: auth, rate limit and body cap are not per path.
      if (new URL(request.url).pathname !== '/graphql') {
        endResponse(fetchAPI.Response.json({ errors: [{ message: 'Not found: the graph is served at /graphql', extensions: { code: 'NOT_FOUND' } }] }, { status: 404 }));
        return;
      }
      const caller = auth.authenticate(presentedKey(request.headers));
      if (!caller) {
        endResponse(unauthenticatedResponse(fetchAPI));
        return;
      }
      const wait = limiter.take(caller.keyId ?? `tenant:${caller.tenantId}`);
      if (wait > 0) {
        endResponse(fetchAPI.Response.json({ errors: [{ message: `Rate limit exceeded; retry in ${wait} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: wait } }] }, { status: 429, headers: { 'retry-after': String(wait) } }));
        return;
      }
      const mediaType = request.headers.get('content-type')?.split(';')[0]!.trim().toLowerCase();
      if (request.method === 'POST' && mediaType !== JSON_MEDIA_TYPE) {
        endResponse(fetchAPI.Response.json({ errors: [{ message: `POST bodies must be ${JSON_MEDIA_TYPE}; got ${mediaType ? mediaType.slice(0, 100) : 'no content-type'}`, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] }, { status: 415 }));
        return;
      }
      const given = request.headers.get('x-request-id');
      states.set(request, { caller, requestId: given && REQUEST_ID.test(given) ? given : randomUUID() });
    },
    onResultProcess({ result, setResult }) {
      // Yoga attaches the parser's own error to request errors (bad JSON bodies); clients get the message alone.
      const strip = (r: unknown) => {
        const errors = (r as { errors?: Array<{ extensions?: Record<string, unknown> }> }).errors;
        for (const error of errors ?? []) if (error.extensions) delete error.extensions.originalError;
        return r;
      };
      // Execution-time messages (variable coercion) carry suggestions too; GraphQL Armor covers validation.
      const hideSuggestions = (r: unknown) => {
        if (suggestions) return r;
        for (const error of (r as { errors?: Array<{ message: string }> }).errors ?? []) error.message = error.message.replace(/\s*Did you mean [^?]*\?/g, '');
        return r;
      };
      const clean = (r: unknown) => hideSuggestions(strip(r));
      if (Array.isArray(result)) setResult(result.map(clean) as typeof result);
      else if (result && typeof result === 'object' && 'errors' in result) setResult(clean(result) as typeof result);
    },
    onExecute({ args }) {
      // Decided on the operation the executor will run, not the first one in the document.
      const scope = scopeForOperation(args.document as DocumentNode, args.operationName);
      const state = states.get((args.contextValue as { request: Request }).request);
      if (!state?.caller.scopes.includes(scope)) {
        throw new GraphQLError(scope === 'moderate' ? 'This API key may not moderate: moderateReviews and setModerationPolicy need the moderate scope' : scope === 'write' ? 'This API key may only read: mutations need the write scope' : 'This API key may not read: queries need the read scope', { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
      }
    },
    onFetch({ context, options, setOptions }) {
      // The signature covers the exact body sent to the subgraph, so a captured header fits no other request.
      const state = states.get((context as { request?: Request } | undefined)?.request as Request);
      if (!state) return;
      const body = typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : null;
      if (body === null) return;
      setOptions({
        ...options,
        headers: {
          ...(options.headers as Record<string, string> | undefined),
          [INTERNAL_CONTEXT_HEADER]: signInternalContext({ ...state.caller, requestId: state.requestId }, config.INTERNAL_SECRET, body),
          'x-request-id': state.requestId,
        },
      });
    },
  };

  const subgraphTimeouts = { queryMs: config.SUBGRAPH_TIMEOUT_MS, mutationMs: config.SUBGRAPH_MUTATION_TIMEOUT_MS };
  const usage = createUsageRecorder(config, log);
  usage?.start();
  // One runtime per graph served: the whole graph, and each contract an API key is configured for.
  const createRuntime = (supergraph: () => string) => createGatewayRuntime({
    supergraph,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: !production,
    maskedErrors: { isDev: false },
    // The HTTP executor merges identical in-flight subgraph queries by URL and body alone, before the
    // signed context is attached: two tenants asking the same thing at once would share one answer.
    transportEntries: { '*': { options: { deduplicateInflightRequests: false } } },
    logging: false,
    // Limits, ordering and subgraph failures (with the per-call subgraph timeout): limits.ts, result-order.ts, resilience.ts.
    plugins: () => [guard, ...limitPlugins(config), resultOrderPlugin(), subgraphFailurePlugin(subgraphTimeouts), ...(suggestions ? [] : [blockFieldSuggestionsPlugin({ mask: '' })]), ...(usage ? [usagePlugin(usage)] : [])],
    ...(introspection ? {} : { disableIntrospection: {} }),
    // A cross-site GET without a preflight-forcing header is refused; POSTs are JSON only (guard).
    csrfPrevention: { requestHeaders: ['x-api-key', 'authorization', 'x-graphql-yoga-csrf'] },
    // Only listed origins get CORS headers, and never credentials: keys travel in headers, not cookies.
    cors: config.CORS_ORIGINS.length === 0 ? false : (request: Request) => {
      const origin = request.headers.get('origin');
      if (!origin || !config.CORS_ORIGINS.includes(origin)) return false;
      return { origin: [origin], credentials: false, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'x-api-key', 'authorization', 'x-request-id'], maxAge: 600 };
    },
  });
  const runtime = createRuntime(() => loadSupergraph(subgraphUrls));
  const contractOfKey = new Map(config.API_KEYS.flatMap((key) => (key.contract ? [[key.name, key.contract] as const] : [])));
  const contractRuntimes = new Map<string, ReturnType<typeof createRuntime>>();
  for (const name of new Set(contractOfKey.values())) {
    assertContractExists(name);
    contractRuntimes.set(name, createRuntime(() => loadContractSupergraph(name, subgraphUrls)));
  }
  /** The runtime of the graph this request's key is served: its contract's, or the whole graph. */
  const runtimeFor = (req: IncomingMessage) => {
    if (contractRuntimes.size === 0) return runtime;
    const keyId = auth.authenticate(presentedKey(credentialsOf(req)))?.keyId;
    const contract = keyId ? contractOfKey.get(keyId) : undefined;
    return contract ? contractRuntimes.get(contract)! : runtime;
  };

  const subgraphsHealthy = async (): Promise<boolean> => {
    const checks = Object.values(subgraphUrls).map(async (url) => {
      const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2_000) });
      return response.ok;
    });
    return (await Promise.allSettled(checks)).every((c) => c.status === 'fulfilled' && c.value);
  };

  const metrics = createMetrics('gateway');
  const metricsToken = config.METRICS_TOKEN ? Buffer.from(config.METRICS_TOKEN) : null;
  const credentialsOf = (req: IncomingMessage): Headers => {
    const headers = new Headers();
    for (const name of ['x-api-key', 'authorization']) if (typeof req.headers[name] === 'string') headers.set(name, req.headers[name]);
    return headers;
  };
  const unauthenticated = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': WWW_AUTHENTICATE, connection: 'close' });
    res.end(JSON.stringify({ errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] }), () => req.destroy());
  };
  const metricsAllowed = (req: IncomingMessage): boolean => {
    if (config.METRICS_PUBLIC) return true;
    const headers = credentialsOf(req);
    const token = bearerToken(headers);
    if (metricsToken && token && Buffer.byteLength(token) === metricsToken.length && timingSafeEqual(Buffer.from(token), metricsToken)) return true;
    return auth.authenticate(presentedKey(headers)) !== null;
  };
  const server = createServer(async (req, res) => {
    const path = ['/graphql', '/health', '/metrics'].includes((req.url ?? '').split('?')[0]!) ? (req.url ?? '').split('?')[0]! : 'other';
    const stopTimer = metrics.httpDuration.startTimer({ path });
    res.once('finish', () => {
      stopTimer();
      metrics.httpRequests.inc({ path, status: String(res.statusCode) });
    });
    const route = routeOf(req.url);
    if (route === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Not found: the graph is served at /graphql', extensions: { code: 'NOT_FOUND' } }] }));
      return;
    }
    if (route === '/metrics') {
      if (!metricsAllowed(req)) {
        unauthenticated(req, res);
        return;
      }
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
      return;
    }
    if (route === '/health') {
      const healthy = await subgraphsHealthy();
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: healthy ? 'ok' : 'degraded' }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      // A body is read only for a caller with a valid key: an anonymous client cannot make the gateway buffer megabytes.
      if (auth.authenticate(presentedKey(credentialsOf(req))) === null) {
        unauthenticated(req, res);
        return;
      }
      const body = await readBodyWithin(req, res, config.MAX_BODY_BYTES);
      if (body === null) return;
      // The runtime takes a body already read from `req.body` (see @whatwg-node/server normalizeNodeRequest).
      (req as IncomingMessage & { body?: Buffer }).body = body;
    }
    await runtimeFor(req)(req, res);
  });
  return {
    server,
    dispose: async () => {
      await runtime.dispose();
      for (const contractRuntime of contractRuntimes.values()) await contractRuntime.dispose();
      await usage?.stop();
    },
  };
}
