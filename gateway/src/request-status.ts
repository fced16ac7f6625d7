import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/**
 * Refusals of the request itself answer HTTP 400 whatever the Accept header says. Yoga marks request
 * and parse errors as "spec" errors, which it answers 200 to `application/json` clients; a body that
 * is not JSON (graphql-http: SHOULD be 400) and an operation over a limit are not answers, so they lose
 * that mark. Ordinary syntax and validation errors keep it, as GraphQL over HTTP asks.
 */
export function requestStatusPlugin(codes: ReadonlySet<string>): GatewayPlugin {
  const refuse = (result: unknown) => {
    for (const error of (result as { errors?: Array<{ extensions?: { code?: unknown; http?: { spec?: boolean } } }> }).errors ?? []) {
      const http = error.extensions?.http;
      if (http?.spec && typeof error.extensions?.code === 'string' && codes.has(error.extensions.code)) delete http.spec;
    }
  };
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result)) result.forEach(refuse);
      else if (result && typeof result === 'object') refuse(result);
    },
  };
}
