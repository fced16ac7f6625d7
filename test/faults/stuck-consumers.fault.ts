// Fault test: the embedded launcher (FerretDB + NATS) is killed with SIGKILL and restarted on the same
// ports while the analysis worker and the applications subgraph, real processes, keep running. Neither
// may be left stuck on a connection the kill left dead: every review is analysed and counted once,
// within a bound after the last restart, and nothing is dead-lettered because the database was down.
// The processes log the driver's monitoring events (debug); a failure shows each one's last ones.
// Run on demand (npm run test:faults): it takes one to two minutes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, newEvent, type Bus, type PublishItem } from '../../lib/bus/index.js';
import { startEmbedded, type EmbeddedServers } from '../../lib/embedded.js';
import { connectDatabase, databaseName } from '../../lib/mongo.js';
import { freePort } from '../../lib/stack.js';
import { reviewTopics } from '../../lib/streams.js';
import { startProcess, stopAll, type RunningProcess } from '../../lib/supervisor.js';
import { insightsId } from '../../subgraphs/applications/src/models/insights.js';

const ROUNDS = Number(process.env.STUCK_ROUNDS ?? 5);
const PER_ROUND = Number(process.env.STUCK_PER_ROUND ?? 300);
const RECOVERY_BOUND_MS = 90_000;
const TENANT = 'tenant-stuck';
const PRODUCT = 'prd_5700000000000000000000a1';
const PREFIX = 'stuck';
const topics = reviewTopics(PREFIX);

let dataDir: string;
let ports: { mongoPort: number; natsPort: number };
let launcher: EmbeddedServers | undefined;
const processes: RunningProcess[] = [];
const lines: string[] = [];
const givenUp: string[] = [];
/** Per process: the driver's monitoring lines (heartbeat failures, description changes) and the watchdog's. */
const monitoring = new Map<string, string[]>();
let bus: Bus | undefined;

afterAll(async () => {
  await bus?.close().catch(() => undefined);
  await stopAll(processes, 5_000);
  await launcher?.stop().catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startService(name: string, entry: string, readyLine: string, env: Record<string, string>): Promise<RunningProcess> {
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const seen: string[] = [];
  monitoring.set(name, seen);
  const proc = startProcess({ name, entry, env }, (line) => {
    if (line.includes('"component":"mongo"') && !/heartbeat (started|succeeded)/.test(line)) seen.push(line);
    if (/warn|error|WARN|ERROR|"level":(40|50)/.test(line)) lines.push(line);
    if (line.includes('did not settle in time')) givenUp.push(line);
    if (line.includes(readyLine)) onReady();
  });
  processes.push(proc);
  await Promise.race([
    ready,
    proc.ended.then((s) => {
      throw new Error(`${name} ended before ready: ${JSON.stringify(s)} ${proc.lastError}`);
    }),
  ]);
  return proc;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reviewgraph-stuck-'));
  ports = { mongoPort: await freePort(), natsPort: await freePort() };
  launcher = await startEmbedded({ dataDir, ...ports });
  const env = { MONGODB_URI: launcher.mongoUri, NATS_URL: launcher.natsUrl, DB_PREFIX: PREFIX, BUS_NAMESPACE: PREFIX, LOG_LEVEL: 'debug', WORKER_ACK_WAIT_MS: '5000', APPLICATIONS_ACK_WAIT_MS: '5000' };
  await startService('analysis-worker', 'subgraphs/analysis/src/worker.ts', 'analysis worker ready', env);
  await startService('applications', 'subgraphs/applications/src/index.ts', 'applications subgraph ready', { ...env, APPLICATIONS_PORT: String(await freePort()) });
  bus = await connectBus({ natsUrl: launcher.natsUrl, name: 'stuck-test', log: undefined, streams: [topics.stream], publishTimeoutMs: 2_000 });
}, 180_000);

function review(n: number): PublishItem {
  const reviewId = `rev_${n.toString(16).padStart(24, '0')}`;
  const text = `Review ${n}: the battery lasts ${n % 9} days, the strap is ${n % 2 ? 'comfortable' : 'itchy'} and the gps is accurate.`;
  // A fixed id: a publish retried after a kill is stored once (JetStream's duplicate window).
  const event = newEvent('review.submitted', TENANT, { reviewId, productId: PRODUCT, rating: (n % 5) + 1, text, productCategory: 'sport-watch', title: null, locale: 'en-US', createdAt: new Date(Date.UTC(2026, 0, 1 + (n % 60))).toISOString() }, { id: `review.submitted:${reviewId}` });
  return { subject: topics.submitted, event };
}

/** Publishes until JetStream stored every item, riding out the launcher's restarts. */
async function publishAll(items: PublishItem[]): Promise<void> {
  let left = items;
  const deadline = Date.now() + 60_000;
  while (left.length > 0) {
    if (Date.now() > deadline) throw new Error(`${left.length} reviews never published`);
    const failed = await bus!
      .publishMany(left, { inFlight: 32 })
      .then((r) => new Set(r.failed.map((f) => f.id)))
      .catch(() => new Set(left.map((item) => item.event.id)));
    left = left.filter((item) => failed.has(item.event.id));
    if (left.length > 0) await new Promise((r) => setTimeout(r, 250));
  }
}

describe('kill -9 of the launcher under running consumer processes', () => {
  it(`leaves no consumer stuck: every review analysed and counted once, ${ROUNDS} restarts`, async () => {
    let sent = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const batch = Array.from({ length: PER_ROUND }, (_, i) => review(sent + i));
      sent += PER_ROUND;
      const publishing = publishAll(batch);
      // Mid-stream: the consumers are busy with what was published when the servers vanish.
      await new Promise((r) => setTimeout(r, 800 + 600 * Math.random()));
      process.kill(launcher!.pid!, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      launcher = await startEmbedded({ dataDir, ...ports });
      await publishing;
    }
    const restartedAt = Date.now();

    const analysisDb = await connectDatabase(launcher!.mongoUri, databaseName(PREFIX, 'analysis'));
    const applicationsDb = await connectDatabase(launcher!.mongoUri, databaseName(PREFIX, 'applications'));
    try {
      const read = async () => {
        const doc = await applicationsDb.db.collection('insights').findOne({ _id: insightsId(TENANT, PRODUCT) } as never);
        const analyses = await analysisDb.db.collection('analyses').countDocuments({ tenantId: TENANT });
        return { reviewCount: doc?.reviewCount as number | undefined, analyzedCount: doc?.analyzedCount as number | undefined, analyses };
      };
      const want = { reviewCount: sent, analyzedCount: sent, analyses: sent };
      let now = await read().catch(() => undefined);
      while (JSON.stringify(now) !== JSON.stringify(want) && Date.now() - restartedAt < RECOVERY_BOUND_MS) {
        await new Promise((r) => setTimeout(r, 1_000));
        now = await read().catch(() => undefined);
      }
      const tookMs = Date.now() - restartedAt;
      process.stdout.write(`stuck-consumers: ${JSON.stringify(now)} ${tookMs} ms after the last restart\n`);
      // What the durables hold says which way it failed: a stuck batch (ackPending kept alive) or dead letters.
      const stats = { analysis: await bus!.consumerStats(topics.stream.name, 'analysis'), applications: await bus!.consumerStats(topics.stream.name, 'applications') };
      const recoveries = Object.fromEntries([...monitoring].map(([name, seen]) => [name, seen.filter((l) => l.includes('database monitor stalled')).length]));
      process.stdout.write(`stuck-consumers: durables ${JSON.stringify(stats)}; handler calls given up: ${givenUp.length}; database clients reconnected by the watchdog: ${JSON.stringify(recoveries)}\n${givenUp.map((l) => l.slice(0, 300)).join('\n')}\n`);
      const driverLines = [...monitoring.values()].flatMap((seen) => seen.slice(-8)).join('\n');
      expect(now, `within ${RECOVERY_BOUND_MS} ms of the last restart; durables ${JSON.stringify(stats)}; last warnings:\n${lines.slice(-10).join('\n')}\nlast driver monitoring lines:\n${driverLines}`).toEqual(want);
      expect({ analysis: stats.analysis.deadLetters, applications: stats.applications.deadLetters }, 'dead letters').toEqual({ analysis: 0, applications: 0 });
      // Counted once: nothing more arrives later.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await read()).toEqual(want);
    } finally {
      await analysisDb.close();
      await applicationsDb.close();
    }
    for (const p of processes) expect(p.child.exitCode, `${p.spec.name} still running`).toBeNull();
  }, 420_000);
});
