/**
 * A page-view counter in Redis, updated by two clients. GET, then SET what was read plus
 * one, loses an update when both GET before either SETs: a barrier makes that happen every
 * run. INCR does the read-modify-write in the server; WATCH/MULTI/EXEC aborts the second
 * writer (EXEC answers null), which retries.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';
import { REDIS_SKIP_REASON, redisClient, redisUrl, uniqueName } from '../../test/support/db.ts';

if (redisUrl === undefined) console.warn(REDIS_SKIP_REASON);

let key = '';

/** Runs `work` with a fresh client, quitting it afterwards. */
async function withClient<T>(work: (client: Redis) => Promise<T>): Promise<T> {
  const client = redisClient();
  try {
    return await work(client);
  } finally {
    await client.quit();
  }
}

describe.skipIf(redisUrl === undefined)('a Redis counter shared by two clients', () => {
  beforeEach(async () => {
    key = uniqueName('interleave:views');
    await withClient((client) => client.set(key, '0'));
  });

  afterEach(async () => {
    await withClient((client) => client.del(key));
  });

  const views = () => withClient(async (client) => Number(await client.get(key)));

  it('GET then SET: both read 0, both write 1: one view is lost', async () => {
    // #region get-set
    const increment = (runner: Runner) =>
      withClient(async (client) => {
        const read = Number(await client.get(key));
        await runner.await(); // both clients have read
        await client.set(key, String(read + 1));
        return read;
      });

    const reads = await runInParallel(increment, increment);

    expect(reads).toEqual([0, 0]);
    expect(await views()).toBe(1);
    // #endregion
  });

  it('INCR: the server does the read-modify-write, both count', async () => {
    const increment = (runner: Runner) =>
      withClient(async (client) => {
        await runner.await();
        return client.incr(key);
      });

    const results = await runInParallel(increment, increment);

    expect(results.toSorted()).toEqual([1, 2]);
    expect(await views()).toBe(2);
  });

  it('WATCH/MULTI/EXEC: the second EXEC is aborted and retried, both count', async () => {
    const increment = (runner: Runner) =>
      withClient(async (client) => {
        for (let attempt = 1; attempt <= 5; attempt++) {
          await client.watch(key);
          const read = Number(await client.get(key));
          if (attempt === 1) await runner.await(); // both have read under WATCH
          const committed = await client
            .multi()
            .set(key, String(read + 1))
            .exec();
          if (committed !== null) return attempt; // null: the key changed since WATCH
        }
        throw new Error('gave up after 5 attempts');
      });

    const attempts = await runInParallel(increment, increment);

    expect(attempts.toSorted()).toEqual([1, 2]);
    expect(await views()).toBe(2);
  });
});
