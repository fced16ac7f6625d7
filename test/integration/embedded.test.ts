import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedLaunchError, embeddedBinaryPath, startEmbedded, type EmbeddedServers } from '../../lib/embedded.js';
import { testInfra, uniqueName } from '../support/infra.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Pids of processes whose command line mentions `needle` (Linux /proc). */
async function pidsMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // process gone meanwhile
    }
  }
  return pids;
}

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr && typeof addr === 'object') resolve({ server, port: addr.port });
      else reject(new Error('no address'));
    });
  });
}

describe('embedded launcher (FerretDB + NATS JetStream)', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'reviewgraph-embedded-'));
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('starts, serves the mongodb driver and JetStream, and stop() leaves no process behind', async () => {
    const dataDir = join(tmp, 'ok');
    const servers: EmbeddedServers = await startEmbedded({ dataDir });
    try {
      expect(servers.mongoUri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
      expect(servers.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      expect(await pidsMentioning(dataDir)).toHaveLength(1);

      const client = new MongoClient(servers.mongoUri);
      try {
        const db = client.db(uniqueName('embedded'));
        const col = db.collection<{ _id: string; n: number }>('things');
        await col.insertOne({ _id: 'a', n: 1 });
        expect(await col.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 1 });
        await db.dropDatabase();
      } finally {
        await client.close();
      }

      const nc = await connect({ servers: servers.natsUrl });
      try {
        const jsm = await jetstreamManager(nc);
        const name = uniqueName('stream').toUpperCase();
        const info = await jsm.streams.add({ name, subjects: [`${name}.>`] });
        expect(info.config.name).toBe(name);
        const ack = await jetstream(nc).publish(`${name}.hello`, 'hi', { msgID: 'one' });
        expect(ack.seq).toBe(1);
        await jsm.streams.delete(name);
      } finally {
        await nc.close();
      }
    } finally {
      await servers.stop();
    }
    await servers.stop(); // idempotent
    expect(await pidsMentioning(dataDir)).toEqual([]);
  });

  it('dies with the Node process that started it', async () => {
    const dataDir = join(tmp, 'orphan');
    const script = join(tmp, 'start-and-wait.mjs');
    const lib = pathToFileURL(join(repoRoot, 'lib', 'embedded.ts')).href;
    await writeFile(
      script,
      `const { startEmbedded } = await import(${JSON.stringify(lib)});\n` +
        `const s = await startEmbedded({ dataDir: ${JSON.stringify(dataDir)} });\n` +
        `console.log('UP ' + s.mongoUri);\nsetInterval(() => {}, 1000);\n`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      parent.stdout.setEncoding('utf8');
      parent.stdout.on('data', (d: string) => d.includes('UP ') && resolve());
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect(await pidsMentioning(dataDir)).toHaveLength(1);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while ((await pidsMentioning(dataDir)).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await pidsMentioning(dataDir)).toEqual([]);
  });

  it('hands the run-wide URLs to test files', () => {
    const { mongoUri, natsUrl } = testInfra();
    expect(mongoUri).toMatch(/^mongodb(\+srv)?:\/\//);
    expect(natsUrl).toMatch(/^(nats|tls|wss?):\/\//);
    expect(uniqueName('a-b.c')).toMatch(/^t_a_b_c_[0-9a-f]{8}$/);
  });

  it('applies the whole filter when it narrows by _id (the launcher pushes the _id condition down to its index)', async () => {
    const client = await MongoClient.connect(testInfra().mongoUri);
    const db = client.db(uniqueName('idfilter'));
    try {
      const c = db.collection<{ _id: string; version: number; tenantId: string }>('docs');
      await c.insertMany([{ _id: 'a', version: 1, tenantId: 't1' }, { _id: 'b', version: 1, tenantId: 't2' }]);
      // another field that does not match: nothing found, changed or removed
      expect(await c.findOne({ _id: 'a', version: 2 })).toBeNull();
      expect(await c.findOne({ _id: 'a', tenantId: 't2' })).toBeNull();
      expect((await c.updateOne({ _id: 'a', version: 2 }, { $set: { version: 3 } })).modifiedCount).toBe(0);
      expect((await c.deleteOne({ _id: 'b', tenantId: 't1' })).deletedCount).toBe(0);
      // matching: a version-checked update wins once
      expect((await c.updateOne({ _id: 'a', version: 1 }, { $set: { version: 2 } })).modifiedCount).toBe(1);
      expect((await c.updateOne({ _id: 'a', version: 1 }, { $set: { version: 5 } })).modifiedCount).toBe(0);
      expect(await c.findOne({ _id: 'a' })).toEqual({ _id: 'a', version: 2, tenantId: 't1' });
      expect(await c.countDocuments({ _id: 'b', tenantId: 't2' })).toBe(1);
      expect(await c.find({ _id: 'b', version: { $gt: 1 } }).toArray()).toEqual([]);
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });

  it('serves filters holding _id from the _id index, with or without other fields', async () => {
    const client = await MongoClient.connect(testInfra().mongoUri);
    const db = client.db(uniqueName('idplan'));
    try {
      const c = db.collection<{ _id: string; version: number }>('docs');
      await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `d${i}`, version: 1 })));
      for (const filter of [{ _id: 'd7' }, { _id: 'd7', version: 1 }]) {
        const explain = await c.find(filter).explain();
        const ferretdbVersion = (explain.serverInfo as { ferretdbVersion?: string } | undefined)?.ferretdbVersion;
        if (ferretdbVersion !== undefined) {
          // the embedded launcher: FerretDB built with the patch of scripts/build-embedded.mjs
          expect(JSON.stringify(explain.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
          expect(ferretdbVersion).toMatch(/^v1\.24\.\d+\+reviewgraph-patched$/);
        } else {
          expect(JSON.stringify(explain)).not.toMatch(/COLLSCAN/);
        }
      }
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });

  it('rejects with the port when the mongo port is taken', async () => {
    const { server, port } = await listenOnFreePort();
    try {
      const err = await startEmbedded({ dataDir: join(tmp, 'busy'), mongoPort: port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmbeddedLaunchError);
      expect((err as Error).message).toContain(`127.0.0.1:${port}`);
      expect((err as Error).message).toMatch(/already in use/);
    } finally {
      server.close();
    }
    expect(await pidsMentioning(join(tmp, 'busy'))).toEqual([]);
  });

  it('rejects clearly when the data dir cannot be written', async () => {
    const file = join(tmp, 'regular-file');
    await writeFile(file, 'not a directory');
    const err = await startEmbedded({ dataDir: join(file, 'data') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedLaunchError);
    expect((err as Error).message).toMatch(/data dir .*regular-file\/data is not writable/);
    expect((err as Error).message).not.toMatch(/goroutine|panic/);
  });

  it('says how to get the launcher when the binary is missing', async () => {
    const err = await startEmbedded({ binaryPath: join(tmp, 'no-such-binary') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedLaunchError);
    expect((err as Error).message).toMatch(/embedded launcher not built: run `npm install` \(needs Go\), or set MONGODB_URI and NATS_URL/);
    expect(embeddedBinaryPath).toMatch(/\/bin\/reviewgraph-embedded$/);
  });
});
