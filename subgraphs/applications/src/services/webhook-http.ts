import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { startDeadline } from '../../../../lib/late-timer.js';
import { checkAddress, guardedLookup, hostOf, parseWebhookUrl, WebhookUrlRefused, type UrlPolicy } from './webhook-url-guard.js';

export interface AttemptOutcome { ok: boolean; httpStatus: number | null; latencyMs: number; error: string | null }

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one delivery. Only a 2xx answer within `timeoutMs` (headers and body) counts; a redirect is
 * not followed and counts as a failure; every address is checked as the socket connects.
 */
export function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; policy: UrlPolicy }): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string, httpStatus: number | null = null): AttemptOutcome => ({ ok: false, httpStatus, latencyMs: elapsed(), error });
  let url: URL;
  try {
    url = parseWebhookUrl(rawUrl);
    if (isIP(hostOf(url))) checkAddress(hostOf(url), opts.policy);
  } catch (error) {
    return Promise.resolve(fail((error as Error).message));
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      resolve(outcome);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'reviewgraph-webhooks/1', ...headers },
      lookup: guardedLookup(opts.policy) as never,
      agent: false,
    }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) res.destroy();
      });
      const done = () => {
        if (status >= 200 && status < 300) settle({ ok: true, httpStatus: status, latencyMs: elapsed(), error: null });
        else if (status >= 300 && status < 400) settle(fail(`redirect (HTTP ${status}${res.headers.location ? ` to ${res.headers.location.slice(0, 200)}` : ''}) not followed: webhooks must answer 2xx at the subscribed URL`, status));
        else settle(fail(`HTTP ${status}`, status));
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    // The budget is the receiver's. A timer that fires well past it means this process was paused or
    // starved, and an answer may already wait unread: the deadline reads it first, then judges.
    const deadline = startDeadline(opts.timeoutMs, () => {
      settle(fail(`no complete answer within ${opts.timeoutMs} ms`));
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof WebhookUrlRefused || error.code === 'EBLOCKED') settle(fail(error.message));
      else settle(fail(`connection failed: ${error.code ?? error.message}`));
    });
    req.end(body);
  });
}
