import { GraphQLError } from 'graphql';
import { BadUserInputError } from '../../../../lib/errors.js';
import { IDEMPOTENCY_KEY_TTL_MS, idempotencyRecordId, keyHash, payloadHash, type IdempotencyRecordDocument } from '../models/idempotency-record.js';
import type { IdempotencyRepository } from '../repositories/idempotency-repository.js';

const KEY = /^[\x21-\x7E]{1,200}$/;

export interface IdempotencyOptions {
  ttlMs?: number;
  /** How long a retry waits for the first call with its key to finish before it is told to come back. */
  waitMs?: number;
  /** A claim older than this whose call never settled is taken to be dead (its process crashed) and is run again. */
  abandonedAfterMs?: number;
  now?: () => Date;
}

/** The key was used before, within its lifetime, with another payload. */
export class IdempotencyKeyReusedError extends GraphQLError {
  constructor(expiresAt: Date) {
    super(`this idempotencyKey was used with a different payload; a key names one payload until it expires (${expiresAt.toISOString()}). Use a new key for a new payload.`, { extensions: { code: 'IDEMPOTENCY_KEY_REUSED', argument: 'idempotencyKey' } });
  }
}

/** The first call with this key is still running; retrying later returns its result. */
export class IdempotencyKeyInUseError extends GraphQLError {
  constructor() {
    super('a call with this idempotencyKey is still running; retry with the same key and payload to get its result', { extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', argument: 'idempotencyKey' } });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` once per (tenant, key, payload) within the key's lifetime: the first call claims the
 * key by inserting its record and stores its result; a retry with the same payload gets that result
 * (waiting while the first is still running), passed through `replay` when given, so a retry sees
 * what has become of it since (e.g. a publication the first call could not make) without running
 * `work` again; the same key with another payload is refused. A call that failed with an error
 * leaves the key free to be retried. Without a key, `work` just runs.
 */
export async function withIdempotencyKey<T>(repo: IdempotencyRepository, tenantId: string, key: string | null | undefined, payload: unknown, work: () => Promise<T>, options: IdempotencyOptions & { replay?: (stored: T) => Promise<T> } = {}): Promise<T> {
  if (key === null || key === undefined) return work();
  if (!KEY.test(key)) throw new BadUserInputError('idempotencyKey must be 1 to 200 printable ASCII characters without spaces, e.g. a UUID', { argument: 'idempotencyKey' });
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? IDEMPOTENCY_KEY_TTL_MS;
  const waitUntil = now().getTime() + (options.waitMs ?? 20_000);
  const abandonedAfterMs = options.abandonedAfterMs ?? 5 * 60_000;
  const hash = payloadHash(payload);
  for (;;) {
    const newest = await repo.newest(tenantId, key);
    const at = now();
    const live = newest !== null && newest.state !== 'FAILED' && newest.expiresAt.getTime() > at.getTime()
      && !(newest.state === 'RUNNING' && at.getTime() - newest.createdAt.getTime() > abandonedAfterMs);
    if (newest && live) {
      if (newest.payloadHash !== hash) throw new IdempotencyKeyReusedError(newest.expiresAt);
      if (newest.state === 'DONE') {
        const stored = JSON.parse(newest.result ?? 'null') as T;
        return options.replay ? options.replay(stored) : stored;
      }
      if (at.getTime() > waitUntil) throw new IdempotencyKeyInUseError();
      await sleep(100);
      continue;
    }
    const generation = newest ? newest.generation + 1 : 0;
    const record: IdempotencyRecordDocument = { _id: idempotencyRecordId(tenantId, key, generation), tenantId, keyHash: keyHash(key), generation, payloadHash: hash, state: 'RUNNING', result: null, createdAt: at, expiresAt: new Date(at.getTime() + ttlMs) };
    if (!(await repo.claim(record))) continue;
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await repo.settle(record._id, 'FAILED', null).catch(() => undefined);
      throw error;
    }
    await repo.settle(record._id, 'DONE', JSON.stringify(result));
    return result;
  }
}
