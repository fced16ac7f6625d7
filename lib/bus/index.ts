import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { ConsumerRunner, ensureConsumer } from './consumer.js';
import type { ConsumerSettings, ConsumerSpec, RunningConsumer } from './consumer.js';
import { readDeadLetters, replayDeadLetters } from './dead-letter.js';
import type { DeadLetter } from './dead-letter.js';
import { readConsumerStats } from './metrics.js';
import type { ConsumerStats } from './metrics.js';
import { DEFAULT_PUBLISH_IN_FLIGHT, publishEvent, publishEventBatches } from './publisher.js';
import type { PublishItem, PublishManyResult } from './publisher.js';
import { deadLetterStreamName, deadLetterSubject, ensureStreams } from './streams.js';
import type { StreamSpec } from './streams.js';
import type { EventEnvelope } from './events.js';

export { newEvent, parseEnvelope } from './events.js';
export type { EventEnvelope } from './events.js';
export type { StreamSpec } from './streams.js';
export { DUPLICATE_WINDOW_MS } from './streams.js';
export type { BatchItem, ConsumerSettings, ConsumerSpec, HandlerContext, RunningConsumer } from './consumer.js';
export { CONSUMER_DEFAULTS } from './consumer.js';
export type { DeadLetter } from './dead-letter.js';
export { DLQ_HEADERS } from './dead-letter.js';
export type { ConsumerStats } from './metrics.js';
export type { PublishItem, PublishManyResult } from './publisher.js';

export interface BusOptions {
  natsUrl: string;
  /** Connection name shown by the server, e.g. `analysis-worker`. */
  name: string;
  log?: Logger;
  /** Streams this process publishes to or consumes from; created or updated on connect. */
  streams: StreamSpec[];
  /** Ack timeout for publishes and dead letters (default 5 s). */
  publishTimeoutMs?: number;
}

/** The project's only access to NATS JetStream. */
export interface Bus {
  /** Resolves once JetStream acknowledged the event; the event id dedupes retried publishes. */
  publish(subject: string, event: EventEnvelope): Promise<void>;
  /**
   * Publishes in atomic batches (one fsync per batch), falling back to pipelined single publishes
   * (default 256 in flight) for a batch the server refuses; every item ends up in `published` (stored
   * by JetStream, now or earlier under the same id) or `failed`.
   */
  publishMany(items: PublishItem[], opts?: { inFlight?: number }): Promise<PublishManyResult>;
  /** Creates or updates the durable consumer without consuming (e.g. at deploy, before producers start). */
  ensureConsumer(settings: ConsumerSettings): Promise<void>;
  consume<T>(spec: ConsumerSpec<T>): Promise<RunningConsumer>;
  consumerStats(stream: string, durable: string): Promise<ConsumerStats>;
  /** Dead letters of a stream, oldest first; `durable` narrows them to one consumer. */
  deadLetters(stream: string, opts?: { limit?: number; durable?: string }): Promise<DeadLetter[]>;
  /** Republishes dead letters to their original subject and removes them; returns how many. */
  replayDeadLetters(
    stream: string,
    opts?: { filter?: (d: DeadLetter) => boolean; durable?: string },
  ): Promise<number>;
  /** Stops the consumers started here (finishing in-flight work), then drains the connection. */
  close(): Promise<void>;
  readonly connection: NatsConnection;
}

const DEFAULT_PUBLISH_TIMEOUT_MS = 5_000;
const DEFAULT_DEAD_LETTER_LIMIT = 100;

export async function connectBus(opts: BusOptions): Promise<Bus> {
  const log = (opts.log ?? pino({ name: opts.name, level: 'warn' })).child({ component: 'bus' });
  const nc = await connect({
    servers: opts.natsUrl,
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
  });
  void watchConnection(nc, log);
  try {
    const jsm = await jetstreamManager(nc);
    for (const spec of opts.streams) await ensureStreams(jsm, spec);
    return new NatsBus(nc, jsm, jetstream(nc), opts, log);
  } catch (err) {
    await nc.close().catch(() => undefined);
    throw err;
  }
}

async function watchConnection(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const s of nc.status()) {
    switch (s.type) {
      case 'disconnect':
        log.warn({ server: s.server }, 'NATS connection lost; reconnecting');
        break;
      case 'reconnect':
        log.info({ server: s.server }, 'NATS connection restored');
        break;
      case 'error':
        log.error({ err: s.error?.message }, 'NATS connection error');
        break;
      case 'slowConsumer':
        log.warn({ sub: s.sub }, 'NATS slow consumer');
        break;
      default:
        break;
    }
  }
}

class NatsBus implements Bus {
  private readonly consumers = new Set<RunningConsumer>();
  private readonly streams: Map<string, StreamSpec>;
  private readonly publishTimeoutMs: number;

  constructor(
    readonly connection: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    opts: BusOptions,
    private readonly log: Logger,
  ) {
    this.streams = new Map(opts.streams.map((s) => [s.name, s]));
    this.publishTimeoutMs = opts.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  }

  private dlqOf(stream: string): string {
    return deadLetterStreamName(this.streams.get(stream) ?? { name: stream, subjects: [] });
  }

  publish(subject: string, event: EventEnvelope): Promise<void> {
    return publishEvent(this.js, subject, event, this.publishTimeoutMs);
  }

  publishMany(items: PublishItem[], opts: { inFlight?: number } = {}): Promise<PublishManyResult> {
    return publishEventBatches(this.js, items, this.publishTimeoutMs, opts.inFlight ?? DEFAULT_PUBLISH_IN_FLIGHT);
  }

  ensureConsumer(settings: ConsumerSettings): Promise<void> {
    return ensureConsumer(this.jsm, settings);
  }

  async consume<T>(spec: ConsumerSpec<T>): Promise<RunningConsumer> {
    await ensureConsumer(this.jsm, spec);
    const runner = new ConsumerRunner<T>(spec, {
      nc: this.connection,
      js: this.js,
      log: this.log,
      publishTimeoutMs: this.publishTimeoutMs,
      deadLetters: {
        dlqStream: this.dlqOf(spec.stream),
        subject: deadLetterSubject(spec.stream, spec.durable),
        durable: spec.durable,
        sourceStream: spec.stream,
      },
    }).start();
    this.consumers.add(runner);
    const consumers = this.consumers;
    return {
      async stop() {
        await runner.stop();
        consumers.delete(runner);
      },
      get processed() {
        return runner.processed;
      },
      get deadLettered() {
        return runner.deadLettered;
      },
    };
  }

  consumerStats(stream: string, durable: string): Promise<ConsumerStats> {
    return readConsumerStats(this.jsm, stream, durable, this.dlqOf(stream));
  }

  deadLetters(stream: string, opts: { limit?: number; durable?: string } = {}): Promise<DeadLetter[]> {
    return readDeadLetters(
      this.jsm,
      this.dlqOf(stream),
      dlqFilter(stream, opts.durable),
      opts.limit ?? DEFAULT_DEAD_LETTER_LIMIT,
    );
  }

  replayDeadLetters(
    stream: string,
    opts: { filter?: (d: DeadLetter) => boolean; durable?: string } = {},
  ): Promise<number> {
    return replayDeadLetters(
      this.js,
      this.jsm,
      this.dlqOf(stream),
      dlqFilter(stream, opts.durable),
      opts.filter,
      this.publishTimeoutMs,
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}

function dlqFilter(stream: string, durable?: string): string {
  return durable ? deadLetterSubject(stream, durable) : `dlq.${stream}.>`;
}
