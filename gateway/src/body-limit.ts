import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Reads a request body, counting bytes as they arrive, so a chunked body (no content-length) is held
 * to the same limit as a declared one. Resolves null, having answered 413, when the body is over it.
 */
export async function readBodyWithin(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return refuse(req, res, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return refuse(req, res, limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refuse(req: IncomingMessage, res: ServerResponse, limit: number): null {
  const body = JSON.stringify({ errors: [{ message: `Request body over ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE', limit } }] });
  // Answer first, then drop the connection: the rest of the body is never read.
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(body, () => req.destroy());
  return null;
}
