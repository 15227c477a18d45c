/**
 * A lost update on PostgreSQL: two transactions read a counter, meet at a barrier, and each
 * writes back what it read plus one. Under READ COMMITTED one increment is lost, every run.
 * Then three fixes, each passing the same race: an atomic UPDATE, SELECT ... FOR UPDATE, and
 * REPEATABLE READ / SERIALIZABLE, where one transaction fails with a serialization failure
 * and a retry loop driven by `isRetryable` runs it again.
 */
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';
import { isRetryable, isSerializationFailure } from 'interleave/db';
import { pgClient, uniqueName } from '../../test/support/db.ts';

let table = '';

beforeEach(async () => {
  table = uniqueName('counter');
  const client = await pgClient();
  try {
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL)`);
    await client.query(`INSERT INTO ${table} VALUES (1, 0)`);
  } finally {
    await client.end();
  }
});

afterEach(async () => {
  const client = await pgClient();
  try {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
  } finally {
    await client.end();
  }
});

async function count(): Promise<number> {
  const client = await pgClient();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT n FROM ${table} WHERE id = 1`);
    return rows[0]?.n ?? Number.NaN;
  } finally {
    await client.end();
  }
}

/** Runs `work` with a fresh connection, ending it afterwards. */
async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await pgClient();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs a transaction, again from the start while it fails with a retryable error. */
async function retrying<T>(transaction: (attempt: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(attempt);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
    }
  }
}

describe('a read-modify-write counter on PostgreSQL', () => {
  it('READ COMMITTED: both read 0, both write 1: one increment is lost', async () => {
    const increment = (runner: Runner) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        const { rows } = await client.query<{ n: number }>(`SELECT n FROM ${table} WHERE id = 1`);
        const read = rows[0]?.n ?? 0;
        await runner.await(); // both transactions have read
        await client.query(`UPDATE ${table} SET n = $1 WHERE id = 1`, [read + 1]);
        await client.query('COMMIT');
        return read;
      });

    const reads = await runInParallel(increment, increment);

    expect(reads).toEqual([0, 0]);
    expect(await count()).toBe(1);
  });

  it('fix 1, an atomic UPDATE n = n + 1: both count', async () => {
    const increment = (runner: Runner) =>
      withClient(async (client) => {
        await runner.await(); // both are ready to increment at the same moment
        await client.query(`UPDATE ${table} SET n = n + 1 WHERE id = 1`);
      });

    await runInParallel(increment, increment);

    expect(await count()).toBe(2);
  });

  it('fix 2, SELECT ... FOR UPDATE: the second reader waits for the first to commit', async () => {
    const increment = (runner: Runner) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        // Meet before reading: a task that waits for the row lock cannot reach a barrier.
        await runner.await();
        const { rows } = await client.query<{ n: number }>(
          `SELECT n FROM ${table} WHERE id = 1 FOR UPDATE`,
        );
        const read = rows[0]?.n ?? 0;
        await client.query(`UPDATE ${table} SET n = $1 WHERE id = 1`, [read + 1]);
        await client.query('COMMIT');
        return read;
      });

    const reads = await runInParallel(increment, increment);

    expect(reads.toSorted()).toEqual([0, 1]);
    expect(await count()).toBe(2);
  });

  it.each(['REPEATABLE READ', 'SERIALIZABLE'])(
    'fix 3, %s: one transaction fails to serialize, and is retried',
    async (isolation) => {
      const failures: unknown[] = [];
      const increment = (runner: Runner) =>
        retrying((attempt) =>
          withClient(async (client) => {
            await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
            try {
              const { rows } = await client.query<{ n: number }>(
                `SELECT n FROM ${table} WHERE id = 1`,
              );
              const read = rows[0]?.n ?? 0;
              if (attempt === 1) await runner.await(); // only the first attempts race
              await client.query(`UPDATE ${table} SET n = $1 WHERE id = 1`, [read + 1]);
              await client.query('COMMIT');
              return attempt;
            } catch (error) {
              failures.push(error);
              await client.query('ROLLBACK');
              throw error;
            }
          }),
        );

      const attempts = await runInParallel(increment, increment);

      expect(attempts.toSorted()).toEqual([1, 2]);
      expect(failures).toHaveLength(1);
      expect(isSerializationFailure(failures[0])).toBe(true);
      expect(failures[0]).toMatchObject({ code: '40001' });
      expect(await count()).toBe(2);
    },
  );
});
