import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const STALLED_MS = 30_000;

/**
 * Waits until every durable consumer of `stream` but those in `ignore` (nobody consumes them in this
 * run, e.g. the analysis durable without workers) has nothing pending or unacknowledged, so the work
 * one measurement queued does not run during the next one. Gives up after `timeoutMs`, or once
 * they have finished nothing for 30 s, and returns how many events were still waiting (0 when idle).
 */
export async function waitForConsumersIdle(natsUrl: string, stream: string, opts: { ignore?: string[]; timeoutMs?: number } = {}): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const nc = await connect({ servers: natsUrl, name: 'bench-idle-wait' });
  try {
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + timeoutMs;
    let least = Number.POSITIVE_INFINITY;
    let progressAt = Date.now();
    for (;;) {
      let busy = 0;
      for await (const info of jsm.consumers.list(stream)) if (!opts.ignore?.includes(info.name)) busy += info.num_pending + info.num_ack_pending;
      if (busy < least) [least, progressAt] = [busy, Date.now()];
      // a consumer that has finished nothing for half a minute is not going to be done soon
      if (busy === 0 || Date.now() > deadline || Date.now() - progressAt > STALLED_MS) return busy;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await nc.close();
  }
}
