import { AckPolicy, DeliverPolicy, JetStreamApiError, ReplayPolicy } from '@nats-io/jetstream';
import type {
  Consumer,
  ConsumerConfig,
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../database-unavailable.js';
import { publishDeadLetter } from './dead-letter.js';
import type { DeadLetterTarget } from './dead-letter.js';
import { parseEnvelope } from './events.js';
import type { EventEnvelope } from './events.js';

export interface HandlerContext {
  subject: string;
  /** 1 on first delivery. */
  deliveryCount: number;
  /** Tells JetStream the message is still being worked on (resets its ack timer). */
  working(): void;
}

export interface BatchItem<T> {
  event: EventEnvelope<T>;
  subject: string;
  deliveryCount: number;
}

/** What the server keeps about a durable consumer. */
export interface ConsumerSettings {
  stream: string;
  /** One durable per consuming service; processes sharing it compete for messages. */
  durable: string;
  filterSubjects?: string[];
  /** Time a delivered message may go unacknowledged before redelivery (default 30 s). */
  ackWaitMs?: number;
}

export interface ConsumerSpec<T = unknown> extends ConsumerSettings {
  /** Throwing marks the message failed: redelivered with backoff, dead-lettered after `maxDeliver`. */
  handler?(event: EventEnvelope<T>, ctx: HandlerContext): Promise<void>;
  /** Batch mode, instead of `handler`: one result per item, an `Error` marking that item failed. */
  batch?: {
    size: number;
    /** Batches in flight at once (default 1); 2 lets one batch's I/O overlap the next one's work. */
    concurrency?: number;
    handler(items: Array<BatchItem<T>>, ctx: { working(): void }): Promise<Array<void | Error>>;
  };
  /** Messages requested per pull (default 64). */
  maxMessages?: number;
  /** Handler attempts before the message is dead-lettered (default 5). */
  maxDeliver?: number;
  /**
   * Deliveries in all before a message that never completes (the process died with it, or its ack
   * timed out, each time) is dead-lettered as the likely cause (default `maxDeliver`). Deliveries lost
   * that way do not use up the handler's `maxDeliver` attempts.
   */
  maxDeliveries?: number;
  /** Delay before redelivery after the n-th failure; the last entry repeats (default [1 s, 5 s, 15 s, 30 s]). */
  backoffMs?: number[];
  /**
   * Failures that say nothing about the message, only that a dependency could not be reached (default:
   * the database, `isDatabaseUnavailable`). Such a message is not counted as failed and is never
   * dead-lettered for it: it stays with this process, kept alive, and is tried again after
   * `unavailableBackoffMs`, so its delivery count does not grow either.
   */
  isUnavailable?(error: unknown): boolean;
  /** Delay before the n-th retry of a message whose dependency was unreachable; the last entry repeats (default [1 s, 2 s, 5 s]). */
  unavailableBackoffMs?: number[];
  /** Handler calls in flight in single mode (default 1, which keeps the stream order). */
  concurrency?: number;
  /**
   * A handler call (or batch) not settled by then is given up (default 3 min): its messages are no
   * longer kept alive and go back as failed, so a call hung on a dead connection cannot hold them forever.
   */
  handlerTimeoutMs?: number;
}

export interface RunningConsumer {
  /** Finishes in-flight work, hands unstarted messages back, and stops pulling. */
  stop(): Promise<void>;
  /** Messages handled successfully. */
  readonly processed: number;
  /** Messages this process moved to the dead-letter stream. */
  readonly deadLettered: number;
}

export const CONSUMER_DEFAULTS = {
  maxMessages: 64,
  ackWaitMs: 30_000,
  maxDeliver: 5,
  backoffMs: [1_000, 5_000, 15_000, 30_000],
  unavailableBackoffMs: [1_000, 2_000, 5_000],
  concurrency: 1,
  handlerTimeoutMs: 180_000,
} as const;

/** Consumer create/update errors meaning "it exists already, with another config". */
const CONSUMER_EXISTS = new Set([10013, 10148]);

/**
 * Creates the durable pull consumer or brings it to this spec.
 *
 * The server-side `max_deliver` is unlimited on purpose: a server that reaches its own limit drops
 * the message from the consumer with only an advisory, while the client-side limit below always
 * ends in the dead-letter stream. Redelivery backoff is likewise applied by `nak(delay)`, because the
 * consumer-level `backoff` only governs ack timeouts and overrides `ack_wait`.
 */
export async function ensureConsumer(jsm: JetStreamManager, spec: ConsumerSettings): Promise<void> {
  const ackWaitMs = spec.ackWaitMs ?? CONSUMER_DEFAULTS.ackWaitMs;
  const changeable: Partial<ConsumerConfig> = {
    ack_wait: nanos(ackWaitMs),
    max_deliver: -1,
  };
  if (spec.filterSubjects?.length) changeable.filter_subjects = spec.filterSubjects;
  const config: Partial<ConsumerConfig> = {
    ...changeable,
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
  };
  try {
    await jsm.consumers.add(spec.stream, config);
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || !CONSUMER_EXISTS.has(err.code)) throw err;
    await jsm.consumers.update(spec.stream, spec.durable, changeable);
  }
}

export interface ConsumerDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  log: Logger;
  deadLetters: DeadLetterTarget;
  publishTimeoutMs: number;
}

const RESUME_DELAY_MS = 1_000;
const MAX_TRACKED_FAILURES = 10_000;
/** At most one "dependency unreachable" warning per this interval: while the database is down every message says it. */
const UNAVAILABLE_LOG_EVERY_MS = 5_000;

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** What `withDeadline` returns for a call that did not settle in time. */
const TIMED_OUT = Symbol('timed out');

/** How long one pull request waits on the server for messages before the loop issues the next. */
const FETCH_EXPIRES_MS = 5_000;

/**
 * The pull loop, a local queue, and the workers that run the handler.
 *
 * Pulls with `fetch` sized to the free part of a window of `maxMessages`, rather than `consume()`,
 * whose client re-pulls as messages arrive whatever the handler's pace: with a slow handler that
 * buffers up to `max_ack_pending` messages that then time out and are redelivered while still queued.
 * Messages waiting in the window are kept alive with in-progress heartbeats.
 */
export class ConsumerRunner<T> implements RunningConsumer {
  processed = 0;
  deadLettered = 0;

  private readonly window: number;
  private readonly ackWaitMs: number;
  private readonly maxDeliver: number;
  private readonly maxDeliveries: number;
  private readonly backoffMs: number[];
  private readonly unavailableBackoffMs: number[];
  private readonly isUnavailable: (error: unknown) => boolean;
  private readonly workers: number;
  private readonly handlerTimeoutMs: number;
  private readonly log: Logger;

  private stopping = false;
  private pulling = true;
  /** Messages taken from JetStream and not yet settled (acked, nak'ed or dead-lettered). */
  private held = 0;
  private fetch: ConsumerMessages | null = null;
  private readonly queue: JsMsg[] = [];
  /** Handler failures seen here per stream sequence: JetStream's delivery count also counts crashes and ack timeouts. */
  private readonly failures = new Map<number, number>();
  /** Messages whose dependency was unreachable, waiting here to be tried again (still held, kept alive). */
  private readonly waiting = new Map<JsMsg, NodeJS.Timeout>();
  /** Consecutive "unreachable" outcomes per stream sequence, for the retry delay. */
  private readonly unavailableRetries = new Map<number, number>();
  private lastUnavailableLog = 0;
  private waiters: Array<() => void> = [];
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly spec: ConsumerSpec<T>,
    private readonly deps: ConsumerDeps,
  ) {
    if (!spec.handler === !spec.batch) {
      throw new Error(`consumer ${spec.durable}: give exactly one of handler or batch`);
    }
    this.ackWaitMs = spec.ackWaitMs ?? CONSUMER_DEFAULTS.ackWaitMs;
    this.maxDeliver = Math.max(1, spec.maxDeliver ?? CONSUMER_DEFAULTS.maxDeliver);
    this.maxDeliveries = Math.max(this.maxDeliver, spec.maxDeliveries ?? this.maxDeliver);
    this.backoffMs = spec.backoffMs?.length ? spec.backoffMs : [...CONSUMER_DEFAULTS.backoffMs];
    this.unavailableBackoffMs = spec.unavailableBackoffMs?.length ? spec.unavailableBackoffMs : [...CONSUMER_DEFAULTS.unavailableBackoffMs];
    this.isUnavailable = spec.isUnavailable ?? isDatabaseUnavailable;
    this.handlerTimeoutMs = Math.max(1, spec.handlerTimeoutMs ?? CONSUMER_DEFAULTS.handlerTimeoutMs);
    this.workers = Math.max(1, (spec.batch ? spec.batch.concurrency : spec.concurrency) ?? CONSUMER_DEFAULTS.concurrency);
    // In batch mode keep one more batch pulled than in flight, so a free worker never waits on a fetch.
    this.window = Math.max(spec.maxMessages ?? CONSUMER_DEFAULTS.maxMessages, spec.batch ? spec.batch.size * (this.workers + 1) : this.workers);
    this.log = deps.log.child({ component: 'bus-consumer', stream: spec.stream, durable: spec.durable });
  }

  start(): this {
    this.done = this.run();
    return this;
  }

  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      await this.fetch?.close().catch(() => undefined);
      this.notify();
    }
    await this.done;
  }

  private async run(): Promise<void> {
    const heartbeat = setInterval(() => {
      for (const m of this.queue) m.working();
      for (const m of this.waiting.keys()) m.working();
    }, Math.max(250, Math.floor(this.ackWaitMs / 2)));
    try {
      const workers = Array.from({ length: this.workers }, () => this.work());
      await this.pullLoop();
      this.pulling = false;
      this.notify();
      await Promise.all(workers);
    } finally {
      clearInterval(heartbeat);
    }
    // Pulled but never started (or waiting to be tried again): hand back at once rather than let them wait out ack_wait.
    for (const [m, timer] of this.waiting) {
      clearTimeout(timer);
      this.queue.push(m);
    }
    this.waiting.clear();
    for (const m of this.queue.splice(0)) this.settle(() => m.nak());
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private changed(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (timeoutMs !== undefined) setTimeout(resolve, timeoutMs).unref();
    });
  }

  /** Runs the final disposition of a message and frees its place in the window. */
  private settle(action: () => void): void {
    try {
      action();
    } finally {
      this.held--;
      this.notify();
    }
  }

  private async pullLoop(): Promise<void> {
    // Refill once a good part of the window is free, not one message at a time.
    const refillAt = Math.max(1, Math.floor(this.window / 2));
    let consumer: Consumer | null = null;
    while (!this.stopping && !this.deps.nc.isClosed()) {
      const free = this.window - this.held;
      if (free < refillAt) {
        await this.changed();
        continue;
      }
      try {
        consumer ??= await this.deps.js.consumers.get(this.spec.stream, this.spec.durable);
        const fetch = await consumer.fetch({ max_messages: free, expires: FETCH_EXPIRES_MS });
        this.fetch = fetch;
        if (this.stopping) await fetch.close();
        for await (const m of fetch) {
          this.held++;
          if (this.stopping) {
            this.settle(() => m.nak());
            continue;
          }
          this.queue.push(m);
          this.notify();
        }
      } catch (err) {
        if (this.deps.nc.isClosed()) break;
        // e.g. the connection dropped mid-pull; the client reconnects on its own.
        this.log.warn({ err: errorMessage(err) }, 'pull interrupted; resuming');
        consumer = null;
        if (!this.stopping) await this.changed(RESUME_DELAY_MS);
      } finally {
        this.fetch = null;
      }
    }
  }

  private async work(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      if (this.queue.length === 0) {
        if (!this.pulling) return;
        await this.changed();
        continue;
      }
      if (this.spec.batch && this.queue.length < this.spec.batch.size) {
        // Let the rest of an arriving burst reach the queue before cutting the batch.
        await new Promise((resolve) => setImmediate(resolve));
        if (this.stopping) return;
      }
      const taken = this.spec.batch ? this.queue.splice(0, this.spec.batch.size) : [this.queue.shift()!];
      try {
        if (this.spec.batch) await this.processBatch(taken);
        else await this.processOne(taken[0]);
      } catch (err) {
        // Only bugs land here (handler failures are handled per message); never stop the loop.
        this.log.error({ err: errorMessage(err) }, 'unexpected error processing messages');
      }
    }
  }

  private async processOne(m: JsMsg): Promise<void> {
    const event = await this.admit(m);
    if (!event) return;
    const deliveryCount = m.info.deliveryCount;
    let live = true;
    try {
      const outcome = await this.withDeadline(
        this.spec.handler!(event, { subject: m.subject, deliveryCount, working: () => live && m.working() }),
      );
      if (outcome === TIMED_OUT) {
        live = false;
        this.gaveUp([m]);
        await this.failed(m, this.timeoutError());
        return;
      }
    } catch (err) {
      if (this.isUnavailable(err)) this.retryLater(m, err);
      else await this.failed(m, err);
      return;
    }
    this.processed++;
    await this.ack(m);
  }

  private async processBatch(msgs: JsMsg[]): Promise<void> {
    const admitted = await Promise.all(msgs.map(async (m) => ({ m, event: await this.admit(m) })));
    const valid = admitted.filter((a): a is { m: JsMsg; event: EventEnvelope<T> } => a.event !== null);
    if (valid.length === 0) return;
    let live = true;
    const working = () => {
      if (live) for (const { m } of valid) m.working();
    };
    // Long batches keep their messages: without this, ack_wait would hand them to another worker.
    const heartbeat = setInterval(working, Math.max(250, Math.floor(this.ackWaitMs / 2)));
    let results: Array<void | Error>;
    try {
      const items = valid.map(({ m, event }) => ({ event, subject: m.subject, deliveryCount: m.info.deliveryCount }));
      const outcome = await this.withDeadline(this.spec.batch!.handler(items, { working }));
      if (outcome === TIMED_OUT) {
        live = false;
        this.gaveUp(valid.map((v) => v.m));
      }
      results = outcome === TIMED_OUT ? valid.map(() => this.timeoutError()) : outcome;
      if (!Array.isArray(results) || results.length !== valid.length) {
        const got = Array.isArray(results) ? results.length : typeof results;
        const err = new Error(`batch handler returned ${got} results for ${valid.length} items`);
        results = valid.map(() => err);
      }
    } catch (err) {
      const failure = err instanceof Error ? err : new Error(errorMessage(err));
      results = valid.map(() => failure);
    } finally {
      clearInterval(heartbeat);
    }
    await Promise.all(
      valid.map(async ({ m }, i) => {
        const r = results[i];
        if (r instanceof Error) return this.isUnavailable(r) ? this.retryLater(m, r) : this.failed(m, r);
        this.processed++;
        return this.ack(m);
      }),
    );
  }

  /**
   * The call's outcome, or TIMED_OUT once `handlerTimeoutMs` passed. A call given up may still finish
   * later; its result is dropped, and its writes are harmless because handlers are idempotent.
   */
  private async withDeadline<R>(call: Promise<R>): Promise<R | typeof TIMED_OUT> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), this.handlerTimeoutMs);
    });
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private timeoutError(): Error {
    return new Error(`handler did not settle within ${this.handlerTimeoutMs} ms`);
  }

  private gaveUp(msgs: JsMsg[]): void {
    this.log.error(
      { seqs: msgs.map((m) => m.seq), handlerTimeoutMs: this.handlerTimeoutMs },
      'handler did not settle in time; giving its messages back for redelivery',
    );
  }

  /** The envelope when the message may reach the handler; otherwise it is dead-lettered here. */
  private async admit(m: JsMsg): Promise<EventEnvelope<T> | null> {
    const parsed = parseEnvelope(m.data);
    if (!parsed.ok) {
      await this.deadLetter(m, parsed.reason);
      return null;
    }
    const deliveryCount = m.info.deliveryCount;
    if (deliveryCount > this.maxDeliveries) {
      // Earlier deliveries never finished (e.g. the process died mid-handler each time).
      await this.deadLetter(m, `delivered ${deliveryCount} times without completing (maxDeliveries ${this.maxDeliveries})`);
      return null;
    }
    return parsed.event as EventEnvelope<T>;
  }

  /**
   * Keeps a message whose handler could not reach a dependency and tries it again here after a delay.
   * Neither a failure (it says nothing about the message) nor a nak: a nak would add a delivery, and
   * deliveries count toward the `maxDeliveries` crash guard, so an outage would still end in dead letters.
   * The message stays held (no more are pulled while the window is full of them) and heartbeated.
   */
  private retryLater(m: JsMsg, err: unknown): void {
    const retries = (this.unavailableRetries.get(m.seq) ?? 0) + 1;
    if (this.unavailableRetries.size >= MAX_TRACKED_FAILURES) this.unavailableRetries.delete(this.unavailableRetries.keys().next().value!);
    this.unavailableRetries.set(m.seq, retries);
    const delay = this.unavailableBackoffMs[Math.min(retries - 1, this.unavailableBackoffMs.length - 1)];
    const now = Date.now();
    if (now - this.lastUnavailableLog >= UNAVAILABLE_LOG_EVERY_MS) {
      this.lastUnavailableLog = now;
      this.log.warn({ err: errorMessage(err), seq: m.seq, retries, retryInMs: delay, waiting: this.waiting.size + 1 }, 'dependency unreachable; keeping messages to try again (not counted as failures)');
    }
    m.working();
    const timer = setTimeout(() => {
      this.waiting.delete(m);
      if (this.stopping) {
        this.settle(() => m.nak());
        return;
      }
      // Ahead of newer messages: it was pulled first.
      this.queue.unshift(m);
      this.notify();
    }, delay);
    this.waiting.set(m, timer);
  }

  private async failed(m: JsMsg, err: unknown): Promise<void> {
    this.unavailableRetries.delete(m.seq);
    const deliveryCount = m.info.deliveryCount;
    const reason = errorMessage(err);
    const failures = (this.failures.get(m.seq) ?? 0) + 1;
    this.failures.delete(m.seq);
    if (failures < this.maxDeliver && deliveryCount < this.maxDeliveries) {
      const delay = this.backoffMs[Math.min(failures - 1, this.backoffMs.length - 1)];
      this.log.warn({ err: reason, seq: m.seq, deliveryCount, failures, retryInMs: delay }, 'handler failed; will retry');
      // Bounded: an entry whose message went to another process is dropped after enough others.
      if (this.failures.size >= MAX_TRACKED_FAILURES) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(m.seq, failures);
      this.settle(() => m.nak(delay));
      return;
    }
    await this.deadLetter(m, reason);
  }

  private async deadLetter(m: JsMsg, reason: string): Promise<void> {
    try {
      await publishDeadLetter(this.deps.js, this.deps.deadLetters, m, reason, this.deps.publishTimeoutMs);
    } catch (err) {
      // Never drop a message: if the dead letter is not stored, keep the original.
      const delay = this.backoffMs[this.backoffMs.length - 1];
      this.log.error({ err: errorMessage(err), seq: m.seq, reason }, 'dead-letter publish failed; keeping message');
      this.settle(() => m.nak(delay));
      return;
    }
    this.deadLettered++;
    this.log.warn(
      { seq: m.seq, subject: m.subject, deliveryCount: m.info.deliveryCount, reason },
      'message dead-lettered',
    );
    await this.ack(m);
  }

  /**
   * A plain ack, not a confirmed one: the server reads it before the next pull sent on the same
   * connection, and an ack lost with the connection only means a redelivery after ack_wait, which
   * the handlers' idempotence absorbs as it does a crash before the ack. Waiting for a confirmation
   * cost a request and reply per message, twice the server's CPU per event (bench/bus).
   */
  private async ack(m: JsMsg): Promise<void> {
    this.failures.delete(m.seq);
    this.unavailableRetries.delete(m.seq);
    this.settle(() => {
      try {
        m.ack();
      } catch (err) {
        this.log.warn({ err: errorMessage(err), seq: m.seq }, 'ack not sent; message will be redelivered');
      }
    });
  }
}
