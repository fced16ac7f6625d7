import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, type DocumentNode, type ValidationContext } from 'graphql';
import type { GatewayConfig } from './config.js';
import { operationSize, type CostModel } from './operation-cost.js';
import { requestStatusPlugin } from './request-status.js';

const LIMIT_CODES = ['TOKEN_LIMIT_EXCEEDED', 'DEPTH_LIMIT_EXCEEDED', 'ALIAS_LIMIT_EXCEEDED', 'DIRECTIVE_LIMIT_EXCEEDED', 'COST_LIMIT_EXCEEDED', 'FIELD_LIMIT_EXCEEDED', 'QUERY_TOO_LARGE'] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

/** An operation refused for a limit: HTTP 400 whatever the Accept header, with a stable code and the limit. */
export function limitError(code: LimitCode, message: string, limit: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limit, http: { status: 400 } } });
}

const shown = (n: number) => (n < 1e15 ? String(Math.ceil(n)) : 'more than 10^15');

/** Armor reports "Syntax Error: <what>": clients get <what> and our code. */
const armorMessage = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, '');

const reportTo = (code: LimitCode, limit: number) => (context: ValidationContext | null, error: GraphQLError) => {
  const refused = limitError(code, armorMessage(error), limit);
  if (!context) throw refused; // the token limit stops the parser itself
  context.reportError(refused);
};

/** What an operation may cost, by the gateway's cost model (see operation-cost.ts and README "Limits"). */
export function costModel(config: GatewayConfig): CostModel {
  return {
    maxPageSize: 100,
    assumedListSize: config.COST_ASSUMED_LIST_SIZE,
    textArguments: { 'Query.analyzeText': { argument: 'text', charactersPerUnit: config.COST_TEXT_CHARACTERS_PER_UNIT } },
  };
}

/**
 * The operation limits, checked before any subgraph is called, each in time linear in the document:
 * size and tokens at parse time (so the parser itself is bounded), depth, aliases and directives at
 * validation (GraphQL Armor, fragments counted once), and cost with the variables before execution.
 */
export function limitPlugins(config: GatewayConfig): GatewayPlugin[] {
  const model = costModel(config);
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  const sizeLimit: GatewayPlugin = {
    onParams({ params }) {
      if (typeof params.query === 'string' && Buffer.byteLength(params.query) > config.MAX_QUERY_BYTES) {
        throw limitError('QUERY_TOO_LARGE', `The query document is ${Buffer.byteLength(params.query)} bytes; the limit is ${config.MAX_QUERY_BYTES}`, config.MAX_QUERY_BYTES);
      }
    },
  };
  const costLimit: GatewayPlugin = {
    onExecute({ args, setResultAndStopExecution }) {
      const { cost, fields } = operationSize(args.schema, args.document as DocumentNode, args.operationName, args.variableValues as Record<string, unknown> | undefined, model);
      if (fields > config.MAX_QUERY_FIELDS) {
        setResultAndStopExecution({ errors: [limitError('FIELD_LIMIT_EXCEEDED', `The operation selects ${shown(fields)} fields once its fragments are expanded; the limit is ${config.MAX_QUERY_FIELDS}`, config.MAX_QUERY_FIELDS)] });
      } else if (cost > config.MAX_QUERY_COST) {
        setResultAndStopExecution({ errors: [limitError('COST_LIMIT_EXCEEDED', `Operation cost ${shown(cost)} exceeds the limit of ${config.MAX_QUERY_COST}`, config.MAX_QUERY_COST)] });
      }
    },
  };
  return [
    sizeLimit,
    maxTokensPlugin({ ...common, n: config.MAX_QUERY_TOKENS, onReject: [reportTo('TOKEN_LIMIT_EXCEEDED', config.MAX_QUERY_TOKENS)] }) as GatewayPlugin,
    maxDepthPlugin({ ...common, n: config.MAX_QUERY_DEPTH, flattenFragments: true, onReject: [reportTo('DEPTH_LIMIT_EXCEEDED', config.MAX_QUERY_DEPTH)] }) as GatewayPlugin,
    maxAliasesPlugin({ ...common, n: config.MAX_QUERY_ALIASES, onReject: [reportTo('ALIAS_LIMIT_EXCEEDED', config.MAX_QUERY_ALIASES)] }) as GatewayPlugin,
    maxDirectivesPlugin({ ...common, n: config.MAX_QUERY_DIRECTIVES, onReject: [reportTo('DIRECTIVE_LIMIT_EXCEEDED', config.MAX_QUERY_DIRECTIVES)] }) as GatewayPlugin,
    costLimit,
    // BAD_REQUEST: a body that is not JSON, or not a GraphQL request at all.
    requestStatusPlugin(new Set([...LIMIT_CODES, 'BAD_REQUEST'])),
  ];
}
