import { JetStreamApiError, RetentionPolicy, StorageType, DiscardPolicy } from '@nats-io/jetstream';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/** A stream the caller owns, e.g. `{ name: 'REVIEWS', subjects: ['review.>'] }`. */
export interface StreamSpec {
  name: string;
  subjects: string[];
  /** Replicas in a cluster (1 on the embedded server). */
  replicas?: number;
  /** Defaults to `${name}_DLQ`. */
  deadLetterStream?: string;
}

/** How long JetStream remembers a `Nats-Msg-Id`: a publish retried within it is stored once. */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;

/** JetStream's "stream name already in use with a different configuration". */
const STREAM_NAME_IN_USE = 10058;

export function deadLetterStreamName(spec: StreamSpec): string {
  return spec.deadLetterStream ?? `${spec.name}_DLQ`;
}

/** Dead letters of one consumer live on `dlq.<stream>.<durable>` (durable names cannot contain dots). */
export function deadLetterSubject(stream: string, durable: string): string {
  return `dlq.${stream}.${durable}`;
}

/** Creates the stream and its dead-letter stream, or brings an existing one to this spec. */
export async function ensureStreams(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  await ensureStream(jsm, {
    name: spec.name,
    subjects: spec.subjects,
    num_replicas: spec.replicas ?? 1,
    // publishMany stores batches atomically, one fsync per batch (lib/bus/publisher.ts)
    allow_atomic: true,
  });
  await ensureStream(jsm, {
    name: deadLetterStreamName(spec),
    subjects: [`dlq.${spec.name}.>`],
    num_replicas: spec.replicas ?? 1,
  });
}

async function ensureStream(
  jsm: JetStreamManager,
  cfg: Pick<StreamConfig, 'name' | 'subjects' | 'num_replicas'> & Partial<Pick<StreamConfig, 'allow_atomic'>>,
): Promise<void> {
  const full: Partial<StreamConfig> & { name: string } = {
    ...cfg,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    // Creating with an identical config is a no-op on the server, so concurrent starters agree.
    await jsm.streams.add(full);
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || err.code !== STREAM_NAME_IN_USE) throw err;
    await jsm.streams.update(cfg.name, {
      subjects: cfg.subjects,
      num_replicas: cfg.num_replicas,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      ...(cfg.allow_atomic ? { allow_atomic: true } : {}),
    });
  }
}
