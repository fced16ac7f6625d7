import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

interface UpstreamError { message: string; extensions?: Record<string, unknown> }
interface SubgraphResult { errors?: readonly UpstreamError[] }
interface TimeoutPayload { executionRequest?: { operationType?: string } }

/** The runtime's `upstreamTimeout` reports a subgraph call that ran out of time with this code. */
const RUNTIME_TIMEOUT_CODE = 'GATEWAY_TIMEOUT';
/** The HTTP transport reports a subgraph it could not reach (refused, reset) with this code, and the socket error. */
const TRANSPORT_ERROR_CODE = 'SUBREQUEST_HTTP_ERROR';

export interface SubgraphTimeouts { queryMs: number; mutationMs: number }

/**
 * The runtime's `upstreamTimeout` per subgraph call: queries get `queryMs`; mutations `mutationMs`, since
 * a large batch is stored and published while the caller waits, and a cut-off answer would leave it
 * unsure what was accepted.
 */
export function upstreamTimeout(timeouts: SubgraphTimeouts): (payload: TimeoutPayload) => number {
  return ({ executionRequest }) => (executionRequest?.operationType === 'mutation' ? timeouts.mutationMs : timeouts.queryMs);
}

/**
 * Bounds what a hung or dead subgraph costs, on top of the runtime's per-call timeout, and masks it.
 * - The executor fetches level by level (a product's analysis fields, then its reviews' analysis), so a
 *   subgraph met at two levels would cost the timeout twice: once a call to it timed out, its later
 *   calls in the same client request fail at once.
 * - The runtime's timeout error carries the subgraph's URL, request body and HTTP 504, a refused
 *   connection its address; clients get one error per failed field naming the service, a stable code
 *   (SUBGRAPH_TIMEOUT, SUBGRAPH_UNAVAILABLE) and HTTP 200 with the other subgraphs' data.
 */
export function subgraphFailurePlugin(timeouts: SubgraphTimeouts): GatewayPlugin {
  const timedOut = new WeakMap<object, Set<string>>();
  const timeoutError = (service: string, ms: number) =>
    new GraphQLError(`The ${service} service did not answer within ${ms} ms; its fields are null`, { extensions: { code: 'SUBGRAPH_TIMEOUT', service } });
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      const context = executionRequest.context as object | undefined;
      if (!context) return;
      setExecutor((request) => {
        const ms = request.operationType === 'mutation' ? timeouts.mutationMs : timeouts.queryMs;
        if (timedOut.get(context)?.has(subgraphName)) return Promise.reject(timeoutError(subgraphName, ms));
        return Promise.resolve(executor(request)).then((result) => {
          const errors = (result as SubgraphResult | undefined)?.errors;
          if (!errors?.some((e) => e.extensions?.code === TRANSPORT_ERROR_CODE)) return result;
          return { ...(result as object), errors: [new GraphQLError(`The ${subgraphName} service could not be reached; its fields are null`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', service: subgraphName } })] } as typeof result;
        }, (error: unknown) => {
          if ((error as UpstreamError | undefined)?.extensions?.code !== RUNTIME_TIMEOUT_CODE) throw error;
          const set = timedOut.get(context) ?? new Set<string>();
          timedOut.set(context, set.add(subgraphName));
          throw timeoutError(subgraphName, ms);
        });
      });
    },
  };
}
