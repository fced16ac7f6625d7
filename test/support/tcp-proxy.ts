import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP relay to a real server that a test can cut (the server looks gone) and restore on the same port, or pause (it looks hung). */
export interface TcpProxy {
  port: number;
  /** Stops accepting (new connections are refused) and drops every relayed connection. */
  cut(): Promise<void>;
  /** Accepts again on the same port. */
  restore(): Promise<void>;
  /** Relays nothing more, either way, on any connection (new ones too), leaving them open: the server looks hung, as under SIGSTOP. */
  pause(): void;
  /** Relays again what was held and what follows. */
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let paused = false;
  let server: Server | null = null;
  let port = 0;
  const relay = ([client, upstream]: [Socket, Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const hold = ([client, upstream]: [Socket, Socket]) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };

  const listen = async (): Promise<void> => {
    const next = createServer((client) => {
      const upstream = createConnection({ host: targetHost, port: targetPort });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      if (paused) hold(pair);
      else relay(pair);
      client.on('close', () => { upstream.destroy(); pairs.delete(pair); });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    server = next;
    port = (next.address() as { port: number }).port;
  };

  const cut = async (): Promise<void> => {
    const current = server;
    server = null;
    for (const s of sockets) s.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    cut,
    restore: async () => {
      if (!server) await listen();
    },
    close: cut,
    pause: () => {
      paused = true;
      for (const pair of pairs) hold(pair);
    },
    resume: () => {
      paused = false;
      for (const pair of pairs) relay(pair);
    },
  };
}
