/**
 * Remembers signed-context signatures for as long as they could verify, so a captured header is
 * good for one request only, even with the body it was signed for. Per process: a replay to another
 * replica still needs the header to be fresh (60 s) and its body unchanged.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 200_000) {}

  /** True the first time `signature` is presented within the window, false on any later use. */
  firstUse(signature: string, now = Date.now()): boolean {
    for (const [key, expires] of this.seen) {
      if (expires > now && this.seen.size < this.maxEntries) break;
      this.seen.delete(key);
    }
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, now + this.ttlMs);
    return true;
  }
}
