import { describe, expect, it } from 'vitest';
import { WriteTurns } from '../../lib/write-turns.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('WriteTurns', () => {
  it('gives one holder at a time per key, in the order asked, and other keys their own turns', async () => {
    const turns = new WriteTurns();
    const log: string[] = [];
    let holders = 0;
    let most = 0;
    const hold = async (name: string, key = 'db') => {
      const turn = await turns.take(key);
      holders++;
      most = Math.max(most, holders);
      log.push(`${name} in`);
      await tick();
      log.push(`${name} out`);
      holders--;
      turn.release();
    };
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    expect(most).toBe(1);

    const other: string[] = [];
    const blocker = await turns.take('db');
    await Promise.race([turns.take('another db').then(() => other.push('got it')), tick()]);
    expect(other).toEqual(['got it']);
    blocker.release();
  });

  it('hands the turn on when released early, and a second release changes nothing', async () => {
    const turns = new WriteTurns();
    const first = await turns.take('db');
    let secondHolds = false;
    const second = turns.take('db').then((turn) => {
      secondHolds = true;
      return turn;
    });
    await tick();
    expect(secondHolds).toBe(false);
    first.release();
    const turn = await second;
    expect(secondHolds).toBe(true);
    first.release();
    let thirdHolds = false;
    const third = turns.take('db').then((t) => {
      thirdHolds = true;
      return t;
    });
    await tick();
    expect(thirdHolds).toBe(false);
    turn.release();
    (await third).release();
    expect(thirdHolds).toBe(true);
  });
});
