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
