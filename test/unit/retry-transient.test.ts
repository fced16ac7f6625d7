import { describe, expect, it } from 'vitest';
import { isTransientError, retryTransient } from '../../lib/mongo.js';

describe('retryTransient', () => {
  it('retries a call that failed on a busy SQLite lock, and gives up on other errors at once', async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw new Error('[collection.go:191 sqlite.(*collection).UpdateAll] database is locked (5) (SQLITE_BUSY)');
      return 'stored';
    };
    expect(await retryTransient(flaky)).toBe('stored');
    expect(calls).toBe(3);

    let other = 0;
    await expect(retryTransient(async () => { other++; throw new Error('E11000 duplicate key'); })).rejects.toThrow('duplicate key');
    expect(other).toBe(1);
    expect(isTransientError(null)).toBe(false);
  });

  it('stops after the last attempt and surfaces the error', async () => {
    let calls = 0;
    await expect(retryTransient(async () => { calls++; throw new Error('database is locked'); }, 3)).rejects.toThrow('database is locked');
    expect(calls).toBe(3);
  });
});
