import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

interface UpstreamError { message: string; path?: readonly (string | number)[]; locations?: unknown; extensions?: Record<string, unknown> }

/**
 * Masks the errors of a subgraph that timed out or could not be reached. The runtime reports them with
 * the subgraph's URL and request body and HTTP 504; clients get one error per failed field naming the
 * service, a stable code, and HTTP 200 with the other subgraphs' data (the failed fields are null).
 */
export function subgraphFailurePlugin(timeoutMs: number): GatewayPlugin {
  const mask = (error: UpstreamError): UpstreamError => {
    const extensions = error.extensions ?? {};
    const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : undefined;
    if (extensions.code === 'GATEWAY_TIMEOUT') {
      return new GraphQLError(`The ${service ?? 'upstream'} service did not answer within ${timeoutMs} ms; its fields are null`, {
        path: error.path, extensions: { code: 'SUBGRAPH_TIMEOUT', service },
      });
    }
    return error;
  };
  return {
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
