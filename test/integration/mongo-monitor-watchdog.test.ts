// The MongoDB driver's server monitor can wedge for good (seen after kill -9 of the embedded launcher
// under load, test/faults/stuck-consumers.fault.ts): a poll heartbeat written to a monitor socket that
// Node had already destroyed, before the socket's 'close' reached the driver, waits for a 'drain' that
// never comes. The monitor then skips every tick and the server stays Unknown after the database is back.
// This test puts a real client into exactly that state (the socket destroyed as a peer's close does,
// and a heartbeat in the same tick), then makes the database unreachable and reachable again through a
// TCP relay: the client must serve again, which it never does without the watchdog.
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { connectDatabase, MONITOR_STALL_MS, type Database } from '../../lib/mongo.js';
import { silentLog } from '../support/fixtures.js';
import { testInfra, uniqueName } from '../support/infra.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

interface DriverMonitor {
  s: { state: string };
  connection: { closed: boolean; socket: { destroy(): void } } | null;
  requestCheck(): void;
}

function monitorOf(client: MongoClient): DriverMonitor {
  const topology = (client as unknown as { topology: { s: { servers: Map<string, { monitor: DriverMonitor }> } } }).topology;
  return [...topology.s.servers.values()][0].monitor;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let proxy: TcpProxy | undefined;
let database: Database | undefined;
afterAll(async () => {
  await database?.db.dropDatabase().catch(() => undefined);
  await database?.close();
  await proxy?.close();
});

describe('a client whose server monitor wedged', () => {
  it('serves again after the database comes back', async () => {
    const target = new URL(testInfra().mongoUri);
    proxy = await startTcpProxy(Number(target.port));
    database = await connectDatabase(`mongodb://127.0.0.1:${proxy.port}/`, uniqueName('watchdog'), { log: silentLog });
    const items = database.db.collection<{ _id: string }>('items');
    await items.insertOne({ _id: 'before' });

    // Wedge the monitor between two heartbeats (a check starts at once when the last ended > 500 ms ago).
    await new Promise<void>((resolve) => database!.client.once('serverHeartbeatSucceeded', () => resolve()));
    await sleep(700);
    const monitor = monitorOf(database.client);
    expect(monitor.s.state).toBe('idle');
    monitor.connection!.socket.destroy();
    monitor.requestCheck();
    await sleep(500);
    expect({ state: monitor.s.state, connectionClosed: monitor.connection?.closed }, 'the heartbeat hangs on the dead socket').toEqual({ state: 'monitoring', connectionClosed: true });

    // The database goes away (the pool's connections die, the server is marked Unknown) and comes back.
    await proxy.cut();
    await expect(items.findOne({ _id: 'before' })).rejects.toThrow();
    await proxy.restore();
    const back = Date.now();
    const fresh = await MongoClient.connect(`mongodb://127.0.0.1:${proxy.port}/`, { serverSelectionTimeoutMS: 5_000 });
    await fresh.close();

    let served = false;
    while (!served && Date.now() - back < MONITOR_STALL_MS + 30_000) {
      served = await items.insertOne({ _id: `after-${Date.now()}` }).then(() => true, () => false);
    }
    expect(served, `the wedged client served again within ${MONITOR_STALL_MS + 30_000} ms`).toBe(true);
    expect(await items.findOne({ _id: 'before' })).toEqual({ _id: 'before' });
  }, 120_000);
});
