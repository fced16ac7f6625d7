import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADERS = {
  id: 'reviewgraph-webhook-id',
  timestamp: 'reviewgraph-webhook-timestamp',
  signature: 'reviewgraph-webhook-signature',
} as const;

/** How old a delivery's timestamp may be before a receiver should refuse it as a replay (documented in the README). */
export const REPLAY_TOLERANCE_SECONDS = 300;

/** Hex HMAC-SHA256 of `${timestamp}.${body}` under `secret`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The signature header: one `v1=<hex>` per secret in force (two during a rotation's overlap), comma-separated. */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((s) => `v1=${signWebhook(s, timestamp, body)}`).join(',');
}

/** What a receiver checks: a fresh timestamp and one signature that matches `secret`. */
export function verifyWebhook(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, now = Date.now()): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > REPLAY_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'hex');
  return (headers.signature ?? '').split(',').some((part) => {
    const [version, hex] = part.trim().split('=');
    const given = Buffer.from(hex ?? '', 'hex');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
