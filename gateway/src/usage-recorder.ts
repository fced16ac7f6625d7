import type { Logger } from '../../lib/logger.js';
import { usageDocumentId, type UsageDocument } from '../../lib/schema/usage-store.js';

interface Bucket { clientName: string; clientVersion: string; operations: number; coordinates: Map<string, number> }

export interface UsageRecorderOptions {
  sampleRate: number;
  flushIntervalMs: number;
  /** Distinct client name+version pairs kept between flushes; further ones are counted as `other`. */
  maxClients: number;
  write(documents: UsageDocument[]): Promise<void>;
  /** Releases what `write` holds (its connection), after the last flush. */
  close?(): Promise<void>;
  log: Logger;
  random?: () => number;
}

/**
 * Aggregates which schema coordinates sampled operations touch, per client name and version, in
 * memory; a timer writes one document per client per flush, so requests never wait on the database.
 * A failed flush keeps its counts for the next one.
 */
export class UsageRecorder {
  private buckets = new Map<string, Bucket>();
  private since = new Date();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly random: () => number;

  constructor(private readonly options: UsageRecorderOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Whether this operation is one of the sampled ones. */
  sample(): boolean {
    return this.options.sampleRate >= 1 || this.random() < this.options.sampleRate;
  }

  record(clientName: string, clientVersion: string, coordinates: readonly string[]): void {
    let key = `${clientName}\u0000${clientVersion}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.options.maxClients) {
        key = 'other\u0000other';
        bucket = this.buckets.get(key);
      }
      if (!bucket) {
        bucket = key === 'other\u0000other' ? { clientName: 'other', clientVersion: 'other', operations: 0, coordinates: new Map() } : { clientName, clientVersion, operations: 0, coordinates: new Map() };
        this.buckets.set(key, bucket);
      }
    }
    bucket.operations += 1;
    for (const coordinate of coordinates) bucket.coordinates.set(coordinate, (bucket.coordinates.get(coordinate) ?? 0) + 1);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes what was aggregated since the last flush; at most one flush runs at a time. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buckets.size === 0) return;
    const buckets = this.buckets;
    const from = this.since;
    const to = new Date();
    this.buckets = new Map();
    this.since = to;
    const documents: UsageDocument[] = [...buckets.values()].map((b) => ({
      _id: usageDocumentId(to),
      from: from.toISOString(),
      to: to.toISOString(),
      clientName: b.clientName,
      clientVersion: b.clientVersion,
      sampleRate: this.options.sampleRate,
      operations: b.operations,
      coordinates: [...b.coordinates].map(([coordinate, count]) => ({ coordinate, count })),
    }));
    this.flushing = this.options.write(documents).catch((error: unknown) => {
      // Put the counts back so the next flush carries them (new ids then, so nothing is written twice).
      for (const [key, bucket] of buckets) {
        const current = this.buckets.get(key);
        if (!current) this.buckets.set(key, bucket);
        else {
          current.operations += bucket.operations;
          for (const [c, n] of bucket.coordinates) current.coordinates.set(c, (current.coordinates.get(c) ?? 0) + n);
        }
      }
      this.since = from;
      this.options.log.warn({ err: { message: (error as Error).message }, clients: buckets.size }, 'schema usage flush failed; kept for the next flush');
    }).finally(() => { this.flushing = null; });
    return this.flushing;
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.flushing) await this.flushing;
    await this.flush();
    await this.options.close?.();
  }
}
