import type { JetStreamManager } from '@nats-io/jetstream';
import { deadLetterSubject } from './streams.js';

export interface ConsumerStats {
  /** Messages in the stream the consumer has not been given yet. */
  pending: number;
  /** Delivered, not yet acknowledged (includes those waiting out a retry delay). */
  ackPending: number;
  /** Messages delivered more than once. */
  redelivered: number;
  /** Age of the oldest message not yet acknowledged; null when none is outstanding. */
  oldestPendingAgeMs: number | null;
  /** Dead letters this consumer left in the dead-letter stream. */
  deadLetters: number;
}

/** How far past the ack floor to look for the first message the consumer's filter matches. */
const OLDEST_PROBES = 16;

export async function readConsumerStats(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  dlqStream: string,
): Promise<ConsumerStats> {
  const info = await jsm.consumers.info(stream, durable);
  const stats: ConsumerStats = {
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
    oldestPendingAgeMs: null,
    deadLetters: 0,
  };
  if (stats.pending + stats.ackPending > 0) {
    stats.oldestPendingAgeMs = await oldestUnackedAge(jsm, stream, info.ack_floor.stream_seq, info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []));
  }
  const subject = deadLetterSubject(stream, durable);
  try {
    const dlq = await jsm.streams.info(dlqStream, { subjects_filter: subject });
    stats.deadLetters = dlq.state.subjects?.[subject] ?? 0;
  } catch {
    stats.deadLetters = 0;
  }
  return stats;
}

/**
 * Best effort: everything up to the ack floor is acknowledged, so the first message after it that the
 * consumer's filter matches is the oldest one still outstanding.
 */
async function oldestUnackedAge(
  jsm: JetStreamManager,
  stream: string,
  ackFloor: number,
  filters: string[],
): Promise<number | null> {
  const nextBy = filters.length === 1 ? filters[0] : '>';
  let seq = ackFloor + 1;
  for (let probe = 0; probe < OLDEST_PROBES; probe++) {
    const query = { seq, next_by_subj: nextBy } as unknown as { seq: number };
    const m = await jsm.streams.getMessage(stream, query).catch(() => null);
    if (!m) return null;
    if (filters.length <= 1 || filters.some((f) => subjectMatches(f, m.subject))) {
      return Math.max(0, Date.now() - m.time.getTime());
    }
    seq = m.seq + 1;
  }
  return null;
}

/** NATS subject matching: `*` is one token, a trailing `>` one or more. */
function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}
