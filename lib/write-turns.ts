/**
 * Turns to write, one holder at a time per key (e.g. a database), in the order they were asked for.
 * Unlike lib/keyed-lock.ts, a holder can give its turn back before its work is done: once its writes
 * are stored, the next one writes while it waits on something else (the bus).
 */
export class WriteTurns {
  private readonly tails = new Map<string, Promise<void>>();

  /** Resolves once it is this caller's turn; `release()` (idempotent) hands the turn on. */
  async take(key: string): Promise<{ release(): void }> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let handOn!: () => void;
    const mine = new Promise<void>((resolve) => {
      handOn = resolve;
    });
    this.tails.set(key, mine);
    await previous;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        if (this.tails.get(key) === mine) this.tails.delete(key);
        handOn();
      },
    };
  }
}
