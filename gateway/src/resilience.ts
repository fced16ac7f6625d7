import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { startDeadline } from '../../lib/late-timer.js';

interface UpstreamError { message: string; extensions?: Record<string, unknown> }
interface SubgraphResult { errors?: readonly UpstreamError[] }

/** The HTTP transport reports a subgraph it could not reach (refused, reset) with this code, and the socket error. */
const TRANSPORT_ERROR_CODE = 'SUBREQUEST_HTTP_ERROR';

export interface SubgraphTimeouts { queryMs: number; mutationMs: number }

/**
 * Bounds what a hung or dead subgraph costs, and masks it.
 * - Each subgraph call gets its own timeout: queries `queryMs`; mutations `mutationMs`, since a large
 *   batch is stored and published while the caller waits, and a cut-off answer would leave it unsure
 *   what was accepted. The timer is the gateway's own (lib/late-timer.ts), not the runtime's
 *   `upstreamTimeout`: after the gateway was stopped or starved, Node runs the overdue timer before it
 *   reads the sockets, and the runtime's would fail a call whose answer had arrived in time.
 * - The executor fetches level by level (a product's analysis fields, then its reviews' analysis), so a
 *   subgraph met at two levels would cost the timeout twice: once a call to it timed out, its later
 *   calls in the same client request fail at once.
 * - Clients get one error per failed field naming the service, a stable code (SUBGRAPH_TIMEOUT,
 *   SUBGRAPH_UNAVAILABLE) and HTTP 200 with the other subgraphs' data; never the subgraph's URL, the
 *   request body or a socket error.
 */
export function subgraphFailurePlugin(timeouts: SubgraphTimeouts): GatewayPlugin {
  const timedOut = new WeakMap<object, Set<string>>();
  const timeoutError = (service: string, ms: number) =>
    new GraphQLError(`The ${service} service did not answer within ${ms} ms; its fields are null`, { extensions: { code: 'SUBGRAPH_TIMEOUT', service } });
  const unavailable = <T>(service: string, result: T): T => {
    const errors = (result as SubgraphResult | undefined)?.errors;
    if (!errors?.some((e) => e.extensions?.code === TRANSPORT_ERROR_CODE)) return result;
    return { ...(result as object), errors: [new GraphQLError(`The ${service} service could not be reached; its fields are null`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', service } })] } as T;
  };
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      const context = executionRequest.context as object | undefined;
      if (!context) return;
      setExecutor(((request) => {
        const ms = request.operationType === 'mutation' ? timeouts.mutationMs : timeouts.queryMs;
        if (timedOut.get(context)?.has(subgraphName)) return Promise.reject(timeoutError(subgraphName, ms));
        const abandon = new AbortController();
        const signal = request.signal ? AbortSignal.any([request.signal, abandon.signal]) : abandon.signal;
        return new Promise((resolve, reject) => {
          const deadline = startDeadline(ms, () => {
            const set = timedOut.get(context) ?? new Set<string>();
            timedOut.set(context, set.add(subgraphName));
            const error = timeoutError(subgraphName, ms);
            reject(error);
            // The fetch is cut off too; what it then reports is no longer anyone's answer.
            abandon.abort(error);
          });
          Promise.resolve(executor({ ...request, signal })).then((result) => {
            deadline.cancel();
            resolve(unavailable(subgraphName, result));
          }, (error: unknown) => {
            deadline.cancel();
            reject(error);
          });
        });
      }) as typeof executor);
    },
  };
}
