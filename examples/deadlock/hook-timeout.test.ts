/**
 * A deadlock between a test and its own hook, on PostgreSQL: a transaction updates a row,
 * then reads through a hooked method; the `after` hook sends a second request that updates
 * the same row. That request waits for the first transaction's row lock, and the first
 * transaction waits for the hook. PostgreSQL cannot see this cycle (one side of it is in the
 * test), so without a bound it would hang until the test runner gives up. The hook's
 * `timeout` fails the interrupted call with ERR_HOOK_TIMEOUT, which says why.
 */
import { expect, it } from 'vitest';
import { after } from 'interleave';
import { pgClient } from '../../test/support/db.ts';
import { withoutLines } from '../../test/support/hooks.ts';
import { usePgTables } from './pg-tables.ts';

const { test0: table } = usePgTables('hook_timeout');

it('an after() hook whose request waits for a row lock the interrupted call holds fails with ERR_HOOK_TIMEOUT', async () => {
  const first = await pgClient();
  const second = await pgClient();
  try {
    const colors = {
      async colorOf(id: number): Promise<string> {
        const { rows } = await first.query<{ color: string }>(
          `SELECT color FROM ${table} WHERE id = $1`,
          [id],
        );
        return rows[0]?.color ?? '';
      },
    };
    let secondRequest: Promise<unknown> | undefined;
    // #region hook-timeout
    using _hook = after(
      colors,
      'colorOf',
      () => {
        // The second request needs the row the first transaction has locked: it waits for
        // that transaction to end, which waits for this hook.
        secondRequest = second.query(`UPDATE ${table} SET color = 'purple' WHERE id = 1`);
        return secondRequest;
      },
      { timeout: 300 },
    );

    await first.query('BEGIN');
    await first.query(`UPDATE ${table} SET color = 'blue' WHERE id = 1`);
    const read = colors.colorOf(1); // fails after 300 ms instead of hanging
    // #endregion

    const error = await read.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'ERR_HOOK_TIMEOUT' });
    expect(withoutLines(error)).toMatchInlineSnapshot(
      `"The after() hook on \`colorOf\` (call 1, hook created at examples/deadlock/hook-timeout.test.ts:<line>:<column>) returned a promise that did not settle within 300 ms, so the call it interrupted fails with this error instead of waiting forever. The hook may be waiting for the call it interrupted: \`colorOf\` has returned, but its caller cannot go on (commit, roll back, release a lock) until the hook is done, so if the hook's work needs something that call holds (a row lock, a transaction, a pooled connection, a mutex), neither can finish. To fix it: make the hook's work not need what the first call holds (another row, no overlapping transaction); or run both requests side by side with runInParallel() and a barrier; or, if the hook is only slow, raise \`options.timeout\` (now 300 ms)."`,
    );

    // Ending the first transaction releases the lock: the second request then goes through.
    await first.query('ROLLBACK');
    await secondRequest;
    const { rows } = await first.query<{ color: string }>(
      `SELECT color FROM ${table} WHERE id = 1`,
    );
    expect(rows[0]?.color).toBe('purple');
  } finally {
    await first.end();
    await second.end();
  }
});
