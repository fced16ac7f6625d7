import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Binary, MongoClient, ObjectId, type Document } from 'mongodb';
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

/** Documents whose `_id` values are of several BSON types. */
interface MixedIdDoc {
  _id: string | number | ObjectId | Binary | { nested: string };
  tenantId?: string;
  odd?: boolean;
}

/** An explain answered by FerretDB (the embedded launcher), which adds its version and pushdown flags. */
function isFerretDB(explain: Document): boolean {
  return typeof (explain.serverInfo as { ferretdbVersion?: unknown } | undefined)?.ferretdbVersion === 'string';
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

  it('serves _id $in from the _id index in one command, with the whole filter applied', async () => {
    const client = await MongoClient.connect(testInfra().mongoUri);
    const db = client.db(uniqueName('idin'));
    try {
      const c = db.collection<MixedIdDoc>('docs');
      const oid = new ObjectId();
      await c.insertMany([
        ...Array.from({ length: 60 }, (_, i) => ({ _id: `d${i}`, tenantId: i % 2 === 0 ? 't1' : 't2' })),
        { _id: oid, tenantId: 't1' },
        { _id: 7, tenantId: 't1' },
        { _id: 'has space & <html> "quoted"', tenantId: 't1' },
      ]);
      await c.deleteOne({ _id: 'd4' });
      const ids = ['d2', 'd3', 'd4', 'd10', 'missing', 'has space & <html> "quoted"'];
      const byId = (docs: Array<{ _id: unknown }>) => docs.map((d) => String(d._id)).sort();
      // deleted and missing ids are absent; another field of the filter still narrows
      expect(byId(await c.find({ _id: { $in: ids } }).toArray())).toEqual(['d10', 'd2', 'd3', 'has space & <html> "quoted"']);
      expect(byId(await c.find({ _id: { $in: ids }, tenantId: 't1' }).toArray())).toEqual(['d10', 'd2', 'has space & <html> "quoted"']);
      expect(byId(await c.find({ _id: { $in: [oid, 'd3'] } }).toArray())).toEqual(['d3', oid.toHexString()].sort());
      // FerretDB stores an ObjectID as its hex string: a string of the same hex still does not match it, limit or not
      expect(byId(await c.find({ _id: { $in: [oid.toHexString(), 'd3'] } }, { limit: 1 }).toArray())).toEqual(['d3']);
      expect(byId(await c.find({ _id: { $in: ['d9', 'd8', 'd7'] } }, { sort: { _id: -1 }, limit: 2 }).toArray())).toEqual(['d8', 'd9']);
      // values of other types are matched by MongoDB's rules (a number, a regular expression)
      expect(byId(await c.find({ _id: { $in: [7, 'd5'] } }).toArray())).toEqual(['7', 'd5']);
      expect(byId(await c.find({ _id: { $in: [/^d5/, 'd3'] } }).toArray())).toEqual(['d3', 'd5', 'd50', 'd51', 'd52', 'd53', 'd54', 'd55', 'd56', 'd57', 'd58', 'd59']);
      expect(await c.find({ _id: { $in: ['d3'], $nin: ['d3'] } }).toArray()).toEqual([]);
      expect(await c.countDocuments({ _id: { $in: ['d1', 'd3', 'd4'] } })).toBe(2);

      const explain = await c.find({ _id: { $in: ids }, tenantId: 't1' }).explain();
      if (isFerretDB(explain)) {
        expect(JSON.stringify(explain.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+__id_ \(<expr>=\?\)/);
        expect(explain.filterPushdown).toBe(true);
      } else {
        expect(JSON.stringify(explain)).not.toMatch(/COLLSCAN/);
      }
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });

  it('serves _id string ranges with sort on _id and limit from the _id index, in MongoDB order, with the whole filter applied', async () => {
    const client = await MongoClient.connect(testInfra().mongoUri);
    const db = client.db(uniqueName('idrange'));
    try {
      const c = db.collection<MixedIdDoc>('docs');
      // composite keys: prefixes of each other, digits, '|' separators and '~' (the largest safe byte)
      const alphabet = ['a', 'b', 'z', '0', '9', '|', '~', '-', 'A', '_'];
      const random = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
      const keys = new Set<string>(['t|p|', 't|p|0', 't|p|00', 't|p', 't|p|~', 't|q', 't|', 't']);
      while (keys.size < 400) keys.add(`t|${random(1 + Math.floor(Math.random() * 6))}`);
      const strings = [...keys];
      await c.insertMany([
        ...strings.map((k, i) => ({ _id: k, odd: i % 2 === 1 })),
        // stored as JSON strings by FerretDB (hex, base64), yet never matched by a string bound
        { _id: new ObjectId() },
        { _id: new Binary(Buffer.from('t|p|1')) },
        { _id: 5 },
        { _id: { nested: 't|p|1' } },
        { _id: 'u|with bytes outside the keys\' alphabet' },
      ]);
      const deleted = strings.filter((_, i) => i % 7 === 3);
      await c.deleteMany({ _id: { $in: deleted } });
      const live = [...strings.filter((k) => !deleted.includes(k)), "u|with bytes outside the keys' alphabet"];
      const byteOrder = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));
      const cases: Array<{ gt?: string; gte?: string; lt?: string; lte?: string }> = [
        { gte: 't|p|', lt: 't|p|~' },
        { gt: 't|p|', lte: 't|p|~' },
        { gt: 't|p' },
        { lt: 't|p|0' },
        { gte: 't|0', lt: 't|_' },
        { gte: 't|', lt: 'u' },
        { gt: 't|~', lt: 'u' },
      ];
      for (const range of cases) {
        const filter = {
          _id: {
            ...(range.gt !== undefined ? { $gt: range.gt } : {}),
            ...(range.gte !== undefined ? { $gte: range.gte } : {}),
            ...(range.lt !== undefined ? { $lt: range.lt } : {}),
            ...(range.lte !== undefined ? { $lte: range.lte } : {}),
          },
        };
        const inRange = live
          .filter((k) => (range.gt === undefined || byteOrder(k, range.gt) > 0) && (range.gte === undefined || byteOrder(k, range.gte) >= 0))
          .filter((k) => (range.lt === undefined || byteOrder(k, range.lt) < 0) && (range.lte === undefined || byteOrder(k, range.lte) <= 0))
          .sort(byteOrder);
        for (const direction of [1, -1] as const) {
          const expected = direction === 1 ? inRange : [...inRange].reverse();
          for (const limit of [1, 7, 1000]) {
            const got = await c.find(filter, { sort: { _id: direction }, limit }).toArray();
            expect(got.map((d) => d._id), `${JSON.stringify(filter)} sort ${direction} limit ${limit}`).toEqual(expected.slice(0, limit));
          }
          // another field: the limit counts matching documents only
          const odd = new Set(strings.filter((_, i) => i % 2 === 1));
          const gotOdd = await c.find({ ...filter, odd: true }, { sort: { _id: direction }, limit: 5 }).toArray();
          expect(gotOdd.map((d) => d._id)).toEqual(expected.filter((k) => odd.has(k)).slice(0, 5));
        }
        expect(await c.countDocuments(filter)).toBe(inRange.length);
      }

      const explain = await c.find({ _id: { $gt: 't|p|', $lt: 't|p|~' } }, { sort: { _id: -1 }, limit: 11 }).explain();
      if (isFerretDB(explain)) {
        const plan = JSON.stringify(explain.queryPlanner);
        expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+__id_ \(<expr>>\? AND <expr><\?\)/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
        expect([explain.filterPushdown, explain.sortPushdown, explain.limitPushdown]).toEqual([true, true, true]);
        // with another field the backend cannot know how many rows the handler keeps: no limit below it
        const withOther = await c.find({ _id: { $gt: 't|p|', $lt: 't|p|~' }, odd: true }, { sort: { _id: -1 }, limit: 11 }).explain();
        expect([withOther.filterPushdown, withOther.limitPushdown]).toEqual([true, false]);
      } else {
        expect(JSON.stringify(explain)).not.toMatch(/COLLSCAN/);
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
