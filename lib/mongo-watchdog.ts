import type {
  MongoClient,
  ServerDescriptionChangedEvent,
  ServerHeartbeatFailedEvent,
  ServerHeartbeatStartedEvent,
  ServerHeartbeatSucceededEvent,
  TopologyDescriptionChangedEvent,
} from 'mongodb';
import type { Logger } from './logger.js';

export interface MonitorWatchdogOptions {
  /**
   * A heartbeat still unanswered after this long, or no heartbeat started for this long, means the
   * driver's server monitor is wedged: a healthy one starts a check every `heartbeatFrequencyMS` and
   * ends each within two `connectTimeoutMS` (connect, then handshake).
   */
  stallMs: number;
  /** How often the watchdog looks (default a quarter of `stallMs`). */
  checkEveryMs?: number;
  log: Logger;
}

export interface MonitorWatchdog {
  /** Times the client was reconnected because its monitor had stalled. */
  readonly recoveries: number;
  stop(): void;
}

/**
 * Logs the driver's server monitoring (SDAM) events at debug level, and reconnects the client when its
 * monitor stops reporting.
 *
 * Why: with mongodb 7.9, a poll heartbeat sent on a monitor connection whose socket is destroyed in the
 * same tick (the server was killed) writes to the destroyed socket and then waits for a `drain` that
 * never comes: no socket timeout applies to a destroyed socket, so the check never ends, the monitor
 * stays "monitoring" and skips every later tick, and the server description stays Unknown. Every
 * operation then fails server selection, for as long as the process lives. The client is recovered
 * with its public API (close, then connect): the Db and Collection handles the repositories hold
 * resolve the new topology on their next operation.
 */
export function watchServerMonitor(client: MongoClient, options: MonitorWatchdogOptions): MonitorWatchdog {
  const { stallMs, log } = options;
  /** Heartbeats started and not yet answered, by server address. */
  const pending = new Map<string, number>();
  let lastStarted = Date.now();
  let recovering = false;
  let stopped = false;
  let recoveries = 0;

  const onStarted = (event: ServerHeartbeatStartedEvent) => {
    lastStarted = Date.now();
    pending.set(event.connectionId, lastStarted);
    log.debug({ server: event.connectionId }, 'database heartbeat started');
  };
  const onSucceeded = (event: ServerHeartbeatSucceededEvent) => {
    pending.delete(event.connectionId);
    log.debug({ server: event.connectionId, durationMS: event.duration }, 'database heartbeat succeeded');
  };
  const onFailed = (event: ServerHeartbeatFailedEvent) => {
    pending.delete(event.connectionId);
    log.debug({ server: event.connectionId, durationMS: event.duration, err: event.failure?.message }, 'database heartbeat failed');
  };
  const onServerChanged = (event: ServerDescriptionChangedEvent) => {
    log.debug({ server: event.address, from: event.previousDescription.type, to: event.newDescription.type, err: event.newDescription.error?.message }, 'database server description changed');
  };
  const onTopologyChanged = (event: TopologyDescriptionChangedEvent) => {
    log.debug({ from: event.previousDescription.type, to: event.newDescription.type }, 'database topology changed');
  };
  client.on('serverHeartbeatStarted', onStarted);
  client.on('serverHeartbeatSucceeded', onSucceeded);
  client.on('serverHeartbeatFailed', onFailed);
  client.on('serverDescriptionChanged', onServerChanged);
  client.on('topologyDescriptionChanged', onTopologyChanged);

  const stalledFor = (now: number): number => {
    let oldest = lastStarted;
    for (const started of pending.values()) oldest = Math.min(oldest, started);
    // Pending: unanswered since `oldest`; none pending: no check since `lastStarted`.
    return pending.size > 0 ? now - oldest : now - lastStarted;
  };

  const recover = async (stalledMs: number) => {
    recovering = true;
    recoveries++;
    log.warn({ stalledMs, servers: [...pending.keys()] }, 'database monitor stalled; reconnecting the client');
    try {
      await client.close();
      if (stopped) return;
      await client.connect();
      log.info({ recoveries }, 'database client reconnected');
    } catch (error) {
      // The server may still be down: no heartbeat runs on a closed topology, so the next look retries.
      log.warn({ err: (error as Error).message }, 'database client reconnect failed; will retry');
    } finally {
      pending.clear();
      lastStarted = Date.now();
      recovering = false;
    }
  };

  const timer = setInterval(() => {
    if (stopped || recovering) return;
    const stalledMs = stalledFor(Date.now());
    if (stalledMs > stallMs) void recover(stalledMs);
  }, options.checkEveryMs ?? Math.max(250, Math.floor(stallMs / 4)));
  timer.unref();

  return {
    get recoveries() {
      return recoveries;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      client.off('serverHeartbeatStarted', onStarted);
      client.off('serverHeartbeatSucceeded', onSucceeded);
      client.off('serverHeartbeatFailed', onFailed);
      client.off('serverDescriptionChanged', onServerChanged);
      client.off('topologyDescriptionChanged', onTopologyChanged);
    },
  };
}
