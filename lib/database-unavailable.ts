import { GraphQLError } from 'graphql';
import {
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** Driver errors of the connection pool that mean "could not get a connection", by name (the classes are not exported). */
const POOL_ERRORS = new Set(['MongoPoolClosedError', 'MongoWaitQueueTimeoutError']);

/**
 * Whether an error says the database could not be reached (no server selected, the connection died,
 * the pool or client was closed under the call) rather than anything about the data: such a failure
 * says nothing about the message being handled, and retrying it later is always right. Network errors
 * include pool-cleared ones; a bulk write that died with its connection carries the network error as
 * its `errorResponse`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    if (
      current instanceof MongoServerSelectionError ||
      current instanceof MongoNetworkError ||
      current instanceof MongoTopologyClosedError ||
      current instanceof MongoNotConnectedError ||
      current instanceof MongoServerClosedError ||
      current instanceof MongoClientClosedError ||
      POOL_ERRORS.has(current.name)
    ) {
      return true;
    }
    const response = (current as { errorResponse?: unknown }).errorResponse;
    current = response instanceof Error ? response : current.cause;
  }
  return false;
}

/**
 * What a client is told when a database call failed as unreachable or timed out (`DATABASE_UNAVAILABLE`).
 * A read changed nothing and may be sent again. A write may still have been applied (the database may
 * have done it after the reply stopped coming), so it says so: sending it again is safe only where the
 * write is idempotent (intake with the same idempotency key and the same source and externalIds).
 */
export class DatabaseUnavailableError extends GraphQLError {
  constructor(kind: 'read' | 'write') {
    const message = kind === 'read'
      ? 'The database did not answer in time; nothing was changed and the request can be sent again'
      : 'The database did not answer in time; this write may or may not have been applied. Sending it again is safe for submitReviews with the same idempotencyKey and the same source and externalIds; read other writes back before sending them again';
    super(message, { extensions: { code: 'DATABASE_UNAVAILABLE', mayHaveApplied: kind === 'write', retrySafe: kind === 'read' } });
  }
}
