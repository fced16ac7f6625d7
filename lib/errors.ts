import { GraphQLError } from 'graphql';

type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN';

abstract class CodedError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class BadUserInputError extends CodedError {
  constructor(message: string, extra: Record<string, unknown> = {}) { super(message, 'BAD_USER_INPUT', extra); }
}
/** The caller could not be identified: HTTP 401. */
export class UnauthenticatedError extends CodedError {
  constructor(message: string) { super(message, 'UNAUTHENTICATED', { http: { status: 401 } }); }
}
/** The caller is known but its scopes do not allow this: HTTP 403. */
export class ForbiddenError extends CodedError {
  constructor(message: string) { super(message, 'FORBIDDEN', { http: { status: 403 } }); }
}

const exposedCodes = new Set<string>(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'RATE_LIMITED', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE', 'DATABASE_UNAVAILABLE']);

/** True when an error is one we meant to show a client (its message is safe). */
export function isExposedError(code: unknown): boolean {
  return typeof code === 'string' && exposedCodes.has(code);
}

/** Whether a driver error is MongoDB's duplicate-key error. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
