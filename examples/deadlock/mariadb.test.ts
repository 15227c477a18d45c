/**
 * The deadlock seed on MariaDB/MySQL (InnoDB): the same two transactions as on PostgreSQL.
 * InnoDB detects the cycle at once and rolls one transaction back with errno 1213, whose
 * SQLSTATE is 40001 like a serialization failure: `isDeadlock` goes by the errno.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';
import { isDeadlock, isLockTimeout } from 'interleave/db';
import { MYSQL_SKIP_REASON, mysqlConnection, mysqlUrl, uniqueName } from '../../test/support/db.ts';

if (mysqlUrl === undefined) console.warn(MYSQL_SKIP_REASON);

const test0 = uniqueName('deadlock_test0');
const test1 = uniqueName('deadlock_test1');

describe.skipIf(mysqlUrl === undefined)('MariaDB (InnoDB)', () => {
  beforeAll(async () => {
    const connection = await mysqlConnection();
    try {
      await connection.query(
        `CREATE TABLE ${test0} (id INT PRIMARY KEY, color TEXT) ENGINE=InnoDB`,
      );
      await connection.query(
        `CREATE TABLE ${test1} (id INT PRIMARY KEY, color TEXT) ENGINE=InnoDB`,
      );
      await connection.query(`INSERT INTO ${test0} VALUES (1, 'green')`);
      await connection.query(`INSERT INTO ${test1} VALUES (1, 'yellow')`);
    } finally {
      await connection.end();
    }
  });

  afterAll(async () => {
    const connection = await mysqlConnection();
    try {
      await connection.query(`DROP TABLE IF EXISTS ${test0}, ${test1}`);
    } finally {
      await connection.end();
    }
  });

  it('two transactions lock two tables in opposite order: exactly one is the deadlock victim', async () => {
    let successCount = 0;
    const thrown: unknown[] = [];
    const transaction = (first: string, second: string) => async (runner: Runner) => {
      const connection = await mysqlConnection();
      try {
        await connection.query('SET SESSION innodb_lock_wait_timeout = 10');
        await connection.beginTransaction();
        await connection.query(`UPDATE ${first} SET color = 'blue' WHERE id = 1`);
        await runner.await(); // the other transaction has locked its first table too
        await connection.query(`UPDATE ${second} SET color = 'purple' WHERE id = 1`);
        await connection.commit();
        successCount++;
      } catch (error) {
        thrown.push(error);
        await connection.rollback();
      } finally {
        await connection.end();
      }
    };

    await runInParallel(transaction(test0, test1), transaction(test1, test0));

    expect(successCount).toBe(1);
    expect(thrown).toHaveLength(1);
    expect(isDeadlock(thrown[0])).toBe(true);
    expect(thrown[0]).toMatchObject({ errno: 1213, sqlState: '40001', code: 'ER_LOCK_DEADLOCK' });
  });

  it.each([
    ['FOR UPDATE NOWAIT', 'FOR UPDATE NOWAIT', ''],
    ['innodb_lock_wait_timeout', 'FOR UPDATE', 'SET SESSION innodb_lock_wait_timeout = 1'],
  ])('a locked row with %s is a lock timeout (1205)', async (_name, locking, setup) => {
    let refused: unknown;

    // Task 1 may wait a whole second for the lock between two barriers (the shortest
    // innodb_lock_wait_timeout), longer than the default barrier timeout of 500 ms.
    await runInParallel(
      [
        async (runner) => {
          const connection = await mysqlConnection();
          try {
            await connection.beginTransaction();
            await connection.query(`SELECT * FROM ${test0} WHERE id = 1 FOR UPDATE`);
            await runner.await('locked');
            await runner.await('tried');
            await connection.commit();
          } finally {
            await connection.end();
          }
        },
        async (runner) => {
          const connection = await mysqlConnection();
          try {
            if (setup !== '') await connection.query(setup);
            await connection.beginTransaction();
            await runner.await('locked');
            await connection
              .query(`SELECT * FROM ${test0} WHERE id = 1 ${locking}`)
              .catch((error: unknown) => {
                refused = error;
              });
            await connection.rollback();
            await runner.await('tried');
          } finally {
            await connection.end();
          }
        },
      ],
      { timeout: 3000 },
    );

    expect(isLockTimeout(refused)).toBe(true);
    expect(refused).toMatchObject({ errno: 1205 });
  });
});
