/**
 * Recipe: a transfer between two accounts with Drizzle ORM transactions deadlocks when two
 * transfers go in opposite directions. A barrier between the two UPDATEs makes it happen on
 * the first attempt; `isDeadlock` sees PostgreSQL's 40P01 through Drizzle's error wrapping.
 * Updating the rows in a fixed order (lowest id first) removes the deadlock.
 */
import { eq, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { integer, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';
import { isDeadlock } from 'interleave/db';
import { pgClient, uniqueName } from '../../test/support/db.ts';

const name = uniqueName('recipe_accounts');
const accounts = pgTable(name, {
  id: integer('id').primaryKey(),
  balance: integer('balance').notNull(),
});

async function withDb<T>(work: (db: NodePgDatabase) => Promise<T>): Promise<T> {
  const client = await pgClient();
  try {
    return await work(drizzle(client));
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await withDb((db) =>
    db.execute(sql.raw(`CREATE TABLE ${name} (id int PRIMARY KEY, balance int NOT NULL)`)),
  );
});
afterAll(async () => {
  await withDb((db) => db.execute(sql.raw(`DROP TABLE IF EXISTS ${name}`)));
});
beforeEach(async () => {
  await withDb(async (db) => {
    await db.delete(accounts);
    await db.insert(accounts).values([
      { id: 1, balance: 100 },
      { id: 2, balance: 100 },
    ]);
  });
});

// #region transfer
/** Debits `from`, then credits `to`, in one transaction; the runner meets between the two. */
const transfer = (from: number, to: number, amount: number) => (runner: Runner) =>
  withDb((db) =>
    db.transaction(async (tx) => {
      await tx
        .update(accounts)
        .set({ balance: sql`${accounts.balance} - ${amount}` })
        .where(eq(accounts.id, from));
      await runner.await(); // both transactions hold their first row lock
      await tx
        .update(accounts)
        .set({ balance: sql`${accounts.balance} + ${amount}` })
        .where(eq(accounts.id, to));
    }),
  );
// #endregion

/**
 * The fix: lock both rows in id order before moving the money. The second transfer now waits
 * for the first at its first lock, so the tasks meet before they start, not in between.
 */
const orderedTransfer = (from: number, to: number, amount: number) => (runner: Runner) =>
  withDb(async (db) => {
    await runner.await(); // start together
    await db.transaction(async (tx) => {
      const [first, second] = from < to ? [from, to] : [to, from];
      await tx.execute(sql`SELECT 1 FROM ${accounts} WHERE ${accounts.id} = ${first} FOR UPDATE`);
      await tx.execute(sql`SELECT 1 FROM ${accounts} WHERE ${accounts.id} = ${second} FOR UPDATE`);
      await tx
        .update(accounts)
        .set({ balance: sql`${accounts.balance} - ${amount}` })
        .where(eq(accounts.id, from));
      await tx
        .update(accounts)
        .set({ balance: sql`${accounts.balance} + ${amount}` })
        .where(eq(accounts.id, to));
    });
  });

const balances = () =>
  withDb(async (db) =>
    (await db.select().from(accounts).orderBy(accounts.id)).map((row) => row.balance),
  );

describe('Drizzle transactions on PostgreSQL', () => {
  it('opposite transfers deadlock on the first attempt; isDeadlock sees through Drizzle', async () => {
    // #region deadlock
    const [ab, ba] = await runInParallel([transfer(1, 2, 10), transfer(2, 1, 10)], {
      settle: true,
    });

    const outcomes = [ab.status, ba.status].toSorted();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const victim: unknown = [ab, ba].find((outcome) => outcome.status === 'rejected')?.reason;
    expect(isDeadlock(victim)).toBe(true);
    // #endregion
    // One transfer committed, the victim's rolled back: 10 moved one way, none lost.
    expect((await balances()).toSorted((x, y) => x - y)).toEqual([90, 110]);
  });

  it('locking the rows in id order: both transfers commit', async () => {
    await runInParallel(orderedTransfer(1, 2, 10), orderedTransfer(2, 1, 30));

    expect(await balances()).toEqual([120, 80]);
  });
});
