/**
 * The Incrmnt story as tests: a red test that reproduces the lost update, then each fix
 * passing the very same race. `after(db, 'getCount', ...)` runs a whole second request
 * right after the first request has read the counter, every time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { after, restoreAll } from 'interleave';
import { asyncDb, CouldNotLock, db } from './db.ts';
import {
  atomicIncrement,
  atomicIncrementAsync,
  increment,
  incrementAsync,
  lockingIncrement,
  lockingIncrementAsync,
  retryingLockingIncrement,
} from './incrmnt.ts';

beforeEach(() => {
  db.reset();
  asyncDb.reset();
});

afterEach(() => {
  restoreAll();
});

describe('synchronous store', () => {
  // The test a developer writes first. It is red: the race loses an update every run.
  it.fails('counts both of two overlapping increments (red: the lost update)', () => {
    using _hook = after(db, 'getCount', () => increment());

    increment();

    expect(db.getCount()).toBe(2);
  });

  it('reproduces the lost update: two increments, count 1', () => {
    using hook = after(db, 'getCount', () => increment());

    const first = increment();

    expect(hook.fired).toBe(1);
    expect(first).toBe(1);
    expect(db.getCount()).toBe(1);
  });

  it('lockingIncrement: the overlapping request fails with CouldNotLock, count 1', () => {
    const nestedErrors: unknown[] = [];
    using _hook = after(db, 'getCount', () => {
      try {
        lockingIncrement();
      } catch (error) {
        nestedErrors.push(error);
      }
    });

    lockingIncrement();

    expect(nestedErrors).toHaveLength(1);
    expect(nestedErrors[0]).toBeInstanceOf(CouldNotLock);
    expect(db.getCount()).toBe(1);
    expect(() => lockingIncrement()).not.toThrow(); // the lock was released
  });

  it('atomicIncrement passes the same race: count 2', () => {
    using hook = after(db, 'incrementCount', () => atomicIncrement());

    atomicIncrement();

    expect(hook.fired).toBe(1);
    expect(db.getCount()).toBe(2);
  });
});

describe('asynchronous store', () => {
  it.fails('counts both of two overlapping increments (red: the lost update)', async () => {
    using _hook = after(asyncDb, 'getCount', () => incrementAsync());

    await incrementAsync();

    expect(await asyncDb.getCount()).toBe(2);
  });

  it('reproduces the lost update: the hook waits for the nested increment, count 1', async () => {
    const order: string[] = [];
    using _hook = after(asyncDb, 'getCount', async ({ result }) => {
      order.push(`A read ${String(result)}`);
      order.push(`B wrote ${await incrementAsync()}`);
    });

    order.push(`A wrote ${await incrementAsync()}`);

    expect(order).toEqual(['A read 0', 'B wrote 1', 'A wrote 1']);
    expect(await asyncDb.getCount()).toBe(1);
  });

  it('lockingIncrementAsync: the overlapping request rejects with CouldNotLock, count 1', async () => {
    let nested: Promise<number> | undefined;
    using _hook = after(asyncDb, 'getCount', () => {
      nested = lockingIncrementAsync();
      return nested.catch(() => 0); // wait for it inside the read, as a real overlap would
    });

    await lockingIncrementAsync();

    await expect(nested).rejects.toBeInstanceOf(CouldNotLock);
    expect(await asyncDb.getCount()).toBe(1);
  });

  it('retryingLockingIncrement: the colliding request is retried after the lock is released, count 2', async () => {
    const retries: number[] = [];
    let nested: Promise<number> | undefined;
    // #region retry
    using _hook = after(asyncDb, 'getCount', () => {
      // Start the second request while the first holds the lock, without waiting for it:
      // it must back off and retry, and the first request must be free to finish.
      nested = retryingLockingIncrement((attempt) => retries.push(attempt));
    });

    const first = await retryingLockingIncrement();
    const second = await nested;
    // #endregion

    expect([first, second]).toEqual([1, 2]);
    expect(retries).toEqual([1]); // one failed attempt (CouldNotLock), then success
    expect(await asyncDb.getCount()).toBe(2);
  });

  it('atomicIncrementAsync passes the same race: count 2', async () => {
    using hook = after(asyncDb, 'incrementCount', () => atomicIncrementAsync());

    await atomicIncrementAsync();

    expect(hook.fired).toBe(1);
    expect(await asyncDb.getCount()).toBe(2);
  });
});
