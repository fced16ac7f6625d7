import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * Request body limit of every subgraph. The gateway forwards a client's variables as they came, so this
 * stays above the gateway's own MAX_BODY_BYTES (its config refuses a larger one): what the gateway accepts
 * is never refused here.
 */
export const SUBGRAPH_MAX_BODY_BYTES = 16 * 1024 * 1024;
const MAX_BODY_BYTES = SUBGRAPH_MAX_BODY_BYTES;

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the per-request context from the request and the exact body bytes it carried; throw a GraphQLError to refuse it. */
  context: (req: IncomingMessage, rawBody: Buffer) => Promise<TContext>;
  /** Answers GET /health; resolve false when a dependency is down. */
  health?: () => Promise<boolean>;
  log: Logger;
  /** When given, requests are counted and timed, and GET /metrics serves them in Prometheus format. */
  metrics?: Metrics;
}

class PayloadTooLargeError extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Serves an Apollo Server over plain node:http at /graphql, with /health, a body limit and JSON errors. */
export function createGraphQLHttpServer<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>): Server {
  const { apollo, log } = options;
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = ['/graphql', '/health', '/metrics'].includes(url.pathname) ? url.pathname : 'other';
    const stopTimer = options.metrics?.httpDuration.startTimer({ path });
    res.once('finish', () => {
      stopTimer?.();
      options.metrics?.httpRequests.inc({ path, status: String(res.statusCode) });
    });
    try {
      if (url.pathname === '/health') {
        const ok = options.health ? await options.health().catch(() => false) : true;
        sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable' });
        return;
      }
      if (url.pathname === '/metrics' && options.metrics) {
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
        res.end(await options.metrics.registry.metrics());
        return;
      }
      if (url.pathname !== '/graphql') {
        sendJson(res, 404, { errors: [{ message: 'Not found: use /graphql' }] });
        return;
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = undefined;
      let rawBody: Buffer = Buffer.alloc(0);
      if (req.method === 'POST') {
        rawBody = await readBody(req);
        try {
          body = rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : {};
        } catch {
          sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
          return;
        }
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context(req, rawBody),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        sendJson(res, 413, { errors: [{ message: error.message, extensions: { code: 'BAD_REQUEST' } }] });
        return;
      }
      log.error({ err: error }, 'unhandled request error');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  });
}

/** Listens on a port (0 picks a free one) and resolves with the bound port. */
export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes a server, ending idle keep-alive connections so shutdown is prompt. */
export async function closeServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
