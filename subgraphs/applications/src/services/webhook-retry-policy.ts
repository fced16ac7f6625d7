/** Retry and disabling settings of webhook deliveries (documented in the README's Webhooks section). */
export interface WebhookRetryPolicy {
  /** Attempts per delivery before it is given up (FAILED). */
  maxAttempts: number;
  /** Delay before the 2nd attempt; it doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A webhook is disabled after this many failed attempts in a row ... */
  disableAfterFailures: number;
  /** ... once they span at least this long (a short outage does not disable it). */
  disableAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: WebhookRetryPolicy = { maxAttempts: 10, baseDelayMs: 30_000, maxDelayMs: 3_600_000, disableAfterFailures: 20, disableAfterMs: 3_600_000 };

/**
 * The wait after failed attempt `attempt` (1-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so receivers coming back are not hit by every sender at once.
 */
export function retryDelayMs(policy: WebhookRetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
