import type { ApolloServer, BaseContext } from '@apollo/server';
import type { InternalContext } from '../../lib/internal-context.js';

/** One operation's single result, as tests read it. */
export interface OperationResult { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }

/** What running an operation needs of a subgraph's `createServer` result. */
export interface OperationTarget<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  contextFor(caller: InternalContext): TContext;
}

/**
 * `run(query, variables, who)` on a subgraph built in the test, through `executeOperation` with the
 * context the signed header of `who` (default `defaultCaller`) would give. `server` is called at each run,
 * so the runner can be made before `beforeAll` builds the server.
 */
export function operationRunner<TContext extends BaseContext>(server: () => OperationTarget<TContext>, defaultCaller: InternalContext) {
  return async (query: string, variables: Record<string, unknown> = {}, who: InternalContext = defaultCaller): Promise<OperationResult> => {
    const target = server();
    const response = await target.apollo.executeOperation({ query, variables }, { contextValue: target.contextFor(who) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult as OperationResult;
  };
}
