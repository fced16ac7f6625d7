import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type UrlRefusal = 'INVALID_URL' | 'UNSUPPORTED_SCHEME' | 'CREDENTIALS_IN_URL' | 'UNRESOLVABLE_HOST' | 'BLOCKED_ADDRESS';

/** Why a webhook URL (or an address it resolved to) may not be called. */
export class WebhookUrlRefused extends Error {
  constructor(readonly reason: UrlRefusal, message: string, readonly range?: string) {
    super(message);
  }
}

export interface UrlPolicy {
  /** Development and tests only (WEBHOOKS_ALLOW_LOOPBACK): lets webhooks call loopback receivers. */
  allowLoopback: boolean;
}

export const MAX_URL_LENGTH = 2_048;

/**
 * The range ipaddr.js puts an address in, IPv4-mapped IPv6 (::ffff:a.b.c.d) judged as its IPv4
 * address; only `unicast` is public. That refuses loopback, private, link-local (169.254.169.254
 * included), unique-local (fd00:ec2::254 included), carrier-grade NAT, multicast, broadcast,
 * unspecified, reserved and the IPv4-embedding prefixes (6to4, Teredo, NAT64).
 */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address().range();
  return parsed.range();
}

/** Throws BLOCKED_ADDRESS unless `address` is a public unicast address (or loopback, when the policy allows it). */
export function checkAddress(address: string, policy: UrlPolicy): void {
  const range = addressRange(address);
  if (range === 'unicast' || (range === 'loopback' && policy.allowLoopback)) return;
  throw new WebhookUrlRefused('BLOCKED_ADDRESS', `the webhook URL resolves to ${address}, a ${range} address; webhooks only call public addresses`, range);
}

/** The URL's static checks: http(s), no credentials, a host, at most 2,048 characters. */
export function parseWebhookUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new WebhookUrlRefused('INVALID_URL', `the webhook URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused('INVALID_URL', 'the webhook URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlRefused('UNSUPPORTED_SCHEME', `webhook URLs must be http or https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username !== '' || url.password !== '') throw new WebhookUrlRefused('CREDENTIALS_IN_URL', 'the webhook URL may not carry credentials (user:password@); deliveries are authenticated by their signature');
  if (hostOf(url) === '') throw new WebhookUrlRefused('INVALID_URL', 'the webhook URL has no host');
  return url;
}

/** The URL's host without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Every address `host` resolves to, each checked: one blocked address refuses the host (DNS answers can rotate). */
export async function resolveChecked(host: string, policy: UrlPolicy): Promise<LookupAddress[]> {
  if (isIP(host)) {
    checkAddress(host, policy);
    return [{ address: host, family: isIP(host) }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await dnsLookup(host, { all: true, verbatim: true });
  } catch {
    throw new WebhookUrlRefused('UNRESOLVABLE_HOST', `the webhook host ${host} does not resolve`);
  }
  if (addresses.length === 0) throw new WebhookUrlRefused('UNRESOLVABLE_HOST', `the webhook host ${host} does not resolve`);
  for (const a of addresses) checkAddress(a.address, policy);
  return addresses;
}

/** All checks of a URL a partner subscribes: static, then DNS (every address). */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  const url = parseWebhookUrl(raw);
  await resolveChecked(hostOf(url), policy);
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves and checks at connect time, and hands the socket only the
 * addresses it checked: a DNS answer that changed since subscribing (rebinding) cannot slip through.
 */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolveChecked(hostname, policy).then(
      (addresses) => (options.all ? callback(null, addresses) : callback(null, addresses[0]!.address, addresses[0]!.family)),
      (error: Error) => callback(Object.assign(error, { code: 'EBLOCKED' }) as NodeJS.ErrnoException, ''),
    );
  };
}
