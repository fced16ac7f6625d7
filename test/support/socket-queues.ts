import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * What waits unread in the kernel between a client process and a local TCP server, read from /proc (Linux):
 * shows from outside that a stopped process holds an answer it has not read, or a stopped server a request.
 */
interface TcpSocket { localPort: number; remotePort: number; unreadBytes: number; inode: string }

function tcpSockets(): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  const portOf = (address: string) => Number.parseInt(address.split(':').pop()!, 16);
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      sockets.push({ localPort: portOf(fields[1]!), remotePort: portOf(fields[2]!), unreadBytes: Number.parseInt(fields[4]!.split(':')[1]!, 16), inode: fields[9]! });
    }
  }
  return sockets;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** How many of `clientPid`'s connections to the server on `serverPort` hold a request the server has not read yet. */
export function requestsUnreadByServer(clientPid: number, serverPort: number): number {
  const sockets = tcpSockets();
  const mine = socketInodes(clientPid);
  const clientPorts = new Set(sockets.filter((s) => mine.has(s.inode) && s.remotePort === serverPort).map((s) => s.localPort));
  return sockets.filter((s) => s.localPort === serverPort && clientPorts.has(s.remotePort) && s.unreadBytes > 0).length;
}

/** How many of `clientPid`'s connections to the server on `serverPort` hold an answer the client has not read yet. */
export function answersUnreadByClient(clientPid: number, serverPort: number): number {
  const mine = socketInodes(clientPid);
  return tcpSockets().filter((s) => mine.has(s.inode) && s.remotePort === serverPort && s.unreadBytes > 0).length;
}
