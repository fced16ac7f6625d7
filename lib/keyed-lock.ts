/**
 * Runs async work one at a time per key, and concurrently across keys. FerretDB 1.24 on SQLite
 * loses concurrent read-modify-write updates of one document ($inc, $push: measured 14 of 50
 * concurrent $inc kept), so writers of a shared document serialise through this in-process.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
