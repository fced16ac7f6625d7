import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the rest of a refused body is read and dropped, so the client gets to read its 413 before the connection closes. */
const LINGER_MS = 2_000;

/**
 * Reads a request body, counting bytes as they arrive, so a chunked body (no content-length) is held
 * to the same limit as a declared one. Resolves null, having answered 413, when the body is over it.
 */
export function readBodyWithin(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve(refuse(req, res, limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      resolve(refuse(req, res, limit));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function refuse(req: IncomingMessage, res: ServerResponse, limit: number): null {
  const body = JSON.stringify({ errors: [{ message: `Request body over ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE', limit } }] });
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(body);
  // The rest of the body is dropped unread; a client still sending past the linger is cut off.
  const cutOff = setTimeout(() => req.destroy(), LINGER_MS);
  cutOff.unref();
  req.once('close', () => clearTimeout(cutOff));
  req.on('error', () => {});
  req.resume();
  return null;
}
