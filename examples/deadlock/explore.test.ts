/**
 * The deadlock seed without a barrier: two real PostgreSQL transactions update two tables in
 * opposite order, with a `checkpoint` between their updates. `explore` searches the
 * interleavings and finds the one where both hold their first lock, reports it with the
 * victim's 40P01 as the cause, and shows that one lock order for both makes every
 * interleaving pass.
 */
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { checkpoint, explore, type ExploreSpec } from 'interleave';
import { isDeadlock } from 'interleave/db';
import { pgClient } from '../../test/support/db.ts';
import { usePgTables } from './pg-tables.ts';
import { raceOf } from '../../test/support/explore.ts';

const { test0, test1 } = usePgTables('explore');

interface Clients {
  a: pg.Client;
  b: pg.Client;
}

/** One transaction: update `first`, reach a scheduling point, update `second`, commit. */
async function updateBoth(client: pg.Client, first: string, second: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`UPDATE ${first} SET color = 'blue' WHERE id = 1`);
    await checkpoint(`locked ${first.split('_')[1] ?? first}`);
    await client.query(`UPDATE ${second} SET color = 'purple' WHERE id = 1`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

function transactions(
  a: (clients: Clients) => Promise<void>,
  b: (clients: Clients) => Promise<void>,
): ExploreSpec<Clients> {
  return {
    strategy: 'exhaustive',
    setup: async () => {
      const clients = { a: await pgClient(), b: await pgClient() };
      // Detect the cycle well within one stepTimeout (also on a server configured for 1 s).
      await clients.a.query(`SET deadlock_timeout = '50ms'`);
      await clients.b.query(`SET deadlock_timeout = '50ms'`);
      return clients;
    },
    teardown: async ({ a, b }) => {
      await Promise.all([a.end(), b.end()]);
    },
    tasks: [a, b],
  };
}

describe('explore on PostgreSQL', () => {
  it('finds the deadlock between two transactions locking two tables in opposite order', async () => {
    const spec = transactions(
      async function forward({ a }) {
        await updateBoth(a, test0, test1);
      },
      async function backward({ b }) {
        await updateBoth(b, test1, test0);
      },
    );

    const race = await raceOf(explore(spec));

    // The victim's error is the cause: PostgreSQL broke the cycle while a task's step ran
    // (ERR_RACE_FOUND) or, on a slow machine, just after all tasks were seen blocked.
    expect(['ERR_RACE_FOUND', 'ERR_DEADLOCK']).toContain(race.code);
    expect(isDeadlock(race.cause)).toBe(true);
    expect(race.preemptions).toBe(1);
    // Both transactions got past their first update before either tried its second.
    const locked = race.trace.filter((step) => step.label.startsWith('locked'));
    expect(locked.map((step) => step.task).toSorted()).toEqual([0, 1]);
    const firstLocked = race.trace.findIndex((step) => step.label.startsWith('locked'));
    const starts = race.trace.filter((step) => step.label === 'start');
    expect(starts.every((step) => step.step <= firstLocked + 1)).toBe(true);
    expect(race.message).toContain('cause: error [40P01]: deadlock detected');
  }, 30_000);

  it('one lock order for both transactions: no interleaving deadlocks', async () => {
    const spec = transactions(
      async function forward({ a }) {
        await updateBoth(a, test0, test1);
      },
      async function alsoForward({ b }) {
        await updateBoth(b, test0, test1);
      },
    );

    const report = await explore(spec);

    expect(report.exhausted).toBe(true);
  }, 30_000);
});
