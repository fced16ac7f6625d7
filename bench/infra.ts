import { rm } from 'node:fs/promises';
import { startEmbedded } from '../lib/embedded.js';

export interface BenchInfra { mongoUri: string; natsUrl: string; /** the embedded launcher's pid, when the benchmark started one */ pid?: number; close(): Promise<void> }

/**
 * The servers a benchmark measures against: `MONGODB_URI` (and `NATS_URL`, unless the benchmark
 * needs no bus) when set, otherwise an embedded launcher on a throwaway data directory that
 * `close()` stops and removes.
 */
export async function benchInfra(opts: { bus?: boolean } = {}): Promise<BenchInfra> {
  const { MONGODB_URI: mongoUri, NATS_URL: natsUrl } = process.env;
  if (mongoUri && (natsUrl || opts.bus === false)) return { mongoUri, natsUrl: natsUrl ?? '', close: async () => undefined };
  const dataDir = `.data/bench-${process.pid}`;
  const embedded = await startEmbedded({ dataDir });
  return {
    mongoUri: embedded.mongoUri,
    natsUrl: embedded.natsUrl,
    pid: embedded.pid,
    async close() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
