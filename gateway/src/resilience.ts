import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

interface UpstreamError { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }

/** The runtime's `upstreamTimeout` reports a subgraph call that ran out of time with this code. */
const RUNTIME_TIMEOUT_CODE = 'GATEWAY_TIMEOUT';
/** The HTTP transport reports a subgraph it could not reach (refused, reset) with this code, and the socket error. */
const TRANSPORT_ERROR_CODE = 'SUBREQUEST_HTTP_ERROR';

interface SubgraphResult { errors?: readonly UpstreamError[] }

/**
 * Bounds what a hung subgraph costs, on top of the runtime's per-call `upstreamTimeout`, and masks it.
 * - The executor fetches level by level (a product's analysis fields, then its reviews' analysis), so a
 *   subgraph met at two levels would cost the timeout twice: once a call to it timed out, its later
 *   calls in the same client request fail at once.
 * - The runtime's error carries the subgraph's URL and request body and HTTP 504 (a refused connection:
 *   its address, masked to "Unexpected error."); clients get one error per failed field naming the
 *   service, a stable code, and HTTP 200 with the other subgraphs' data.
 */
export function subgraphFailurePlugin(timeoutMs: number): GatewayPlugin {
  const timedOut = new WeakMap<object, Set<string>>();
  const mask = (error: UpstreamError): UpstreamError => {
    const extensions = error.extensions ?? {};
    if (extensions.code !== RUNTIME_TIMEOUT_CODE) return error;
    const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : 'upstream';
    return new GraphQLError(`The ${service} service did not answer within ${timeoutMs} ms; its fields are null`, {
      path: error.path, extensions: { code: 'SUBGRAPH_TIMEOUT', service },
    });
  };
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      const context = executionRequest.context as object | undefined;
      if (!context) return;
      setExecutor((request) => {
        if (timedOut.get(context)?.has(subgraphName)) {
          return Promise.reject(new GraphQLError(`${subgraphName} timed out earlier in this request`, { extensions: { code: RUNTIME_TIMEOUT_CODE, serviceName: subgraphName } }));
        }
        return Promise.resolve(executor(request)).then((result) => {
          const errors = (result as SubgraphResult | undefined)?.errors;
          if (!errors?.some((e) => e.extensions?.code === TRANSPORT_ERROR_CODE)) return result;
          return { ...(result as object), errors: [new GraphQLError(`The ${subgraphName} service could not be reached; its fields are null`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: subgraphName } })] } as typeof result;
        }).catch((error: unknown) => {
          if ((error as UpstreamError | undefined)?.extensions?.code === RUNTIME_TIMEOUT_CODE) {
            const set = timedOut.get(context) ?? new Set<string>();
            timedOut.set(context, set.add(subgraphName));
          }
          throw error;
        });
      });
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map((e) => mask(e as UpstreamError)) as typeof result.errors });
        },
      };
    },
  };
}
