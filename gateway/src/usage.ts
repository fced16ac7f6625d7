import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { connectDatabase, type Database } from '../../lib/mongo.js';
import type { Logger } from '../../lib/logger.js';
import { operationCoordinates } from '../../lib/schema/operation-coordinates.js';
import { gatewayDatabase } from '../../lib/schema/usage-source.js';
import { usageCollection } from '../../lib/schema/usage-store.js';
import type { GatewayConfig } from './config.js';
import { UsageRecorder } from './usage-recorder.js';

const CLIENT_LABEL = /^[A-Za-z0-9._@/+:-]{1,64}$/;

/** A client name or version header as recorded: absent is `unknown`, anything odd is `invalid` (the store never holds arbitrary strings). */
export function clientLabel(value: string | null): string {
  if (!value) return 'unknown';
  return CLIENT_LABEL.test(value) ? value : 'invalid';
}

/**
 * Records the schema coordinates of sampled operations per `graphql-client-name` and
 * `graphql-client-version`. Coordinates are computed once per parsed document and schema (documents
 * come from the runtime's parse cache), so a repeated operation costs a lookup and a few map updates.
 */
export function usagePlugin(recorder: UsageRecorder): GatewayPlugin {
  const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly string[]>>();
  const coordinatesOf = (schema: GraphQLSchema, document: DocumentNode) => {
    let bySchema = cache.get(schema);
    if (!bySchema) cache.set(schema, (bySchema = new WeakMap()));
    let coordinates = bySchema.get(document);
    if (!coordinates) bySchema.set(document, (coordinates = [...operationCoordinates(schema, document)]));
    return coordinates;
  };
  return {
    onExecute({ args }) {
      if (!recorder.sample()) return;
      const request = (args.contextValue as { request?: Request }).request;
      const headers = request?.headers;
      recorder.record(clientLabel(headers?.get('graphql-client-name') ?? null), clientLabel(headers?.get('graphql-client-version') ?? null), coordinatesOf(args.schema, args.document));
    },
  };
}

/** The gateway's usage recorder writing to its own database, or null when recording is off. */
export function createUsageRecorder(config: GatewayConfig, log: Logger): UsageRecorder | null {
  if (!config.MONGODB_URI || config.SCHEMA_USAGE_SAMPLE_RATE === 0) {
    log.info('schema usage recording is off (needs MONGODB_URI and SCHEMA_USAGE_SAMPLE_RATE > 0)');
    return null;
  }
  const uri = config.MONGODB_URI;
  let database: Promise<Database> | null = null;
  const recorder = new UsageRecorder({
    sampleRate: config.SCHEMA_USAGE_SAMPLE_RATE,
    flushIntervalMs: config.SCHEMA_USAGE_FLUSH_MS,
    maxClients: 1_000,
    log: log.child({ component: 'schema-usage' }),
    async write(documents) {
      // Connected on the first flush: the gateway serves even while its database is down.
      database ??= connectDatabase(uri, gatewayDatabase(config.DB_PREFIX)).catch((error: unknown) => {
        database = null;
        throw error;
      });
      const { db } = await database;
      await usageCollection(db).insertMany(documents, { ordered: false });
    },
    async close() {
      if (database) await (await database.catch(() => null))?.close();
    },
  });
  return recorder;
}
