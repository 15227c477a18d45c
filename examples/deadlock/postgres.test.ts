/**
 * The deadlock seed on PostgreSQL: two transactions update two tables in opposite order,
 * meeting at a barrier after their first update. Each then waits for the lock the other
 * holds; PostgreSQL detects the cycle and aborts one of them. On the first attempt, and on
 * every attempt.
 */
import { describe, expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';
import { isDeadlock, isLockTimeout } from 'interleave/db';
import { pgClient } from '../../test/support/db.ts';
import { usePgTables } from './pg-tables.ts';

const { test0, test1 } = usePgTables('deadlock');

describe('PostgreSQL', () => {
  it('two transactions lock two tables in opposite order: exactly one is the deadlock victim', async () => {
    let successCount = 0;
    const thrown: unknown[] = [];
    // #region deadlock
    const transaction = (first: string, second: string) => async (runner: Runner) => {
      const client = await pgClient();
      try {
        await client.query('BEGIN');
        await client.query(`UPDATE ${first} SET color = 'blue' WHERE id = 1`);
        await runner.await(); // the other transaction has locked its first table too
        await client.query(`UPDATE ${second} SET color = 'purple' WHERE id = 1`);
        await client.query('COMMIT');
        successCount++;
      } catch (error) {
        thrown.push(error);
        await client.query('ROLLBACK');
      } finally {
        await client.end();
      }
    };

    await runInParallel(transaction(test0, test1), transaction(test1, test0));

    expect(successCount).toBe(1);
    expect(thrown).toHaveLength(1);
    expect(isDeadlock(thrown[0])).toBe(true);
    expect(thrown[0]).toMatchObject({ code: '40P01' });
    // #endregion
  });

  it('SELECT ... FOR UPDATE NOWAIT on a locked row is a lock timeout (55P03)', async () => {
    let refused: unknown;

    await runInParallel(
      async (runner) => {
        const client = await pgClient();
        try {
          await client.query('BEGIN');
          await client.query(`SELECT * FROM ${test0} WHERE id = 1 FOR UPDATE`);
          await runner.await('locked');
          await runner.await('tried');
          await client.query('COMMIT');
        } finally {
          await client.end();
        }
      },
      async (runner) => {
        const client = await pgClient();
        try {
          await runner.await('locked');
          await client
            .query(`SELECT * FROM ${test0} WHERE id = 1 FOR UPDATE NOWAIT`)
            .catch((error: unknown) => {
              refused = error;
            });
          await runner.await('tried');
        } finally {
          await client.end();
        }
      },
    );

    expect(isLockTimeout(refused)).toBe(true);
    expect(refused).toMatchObject({ code: '55P03' });
  });
});
