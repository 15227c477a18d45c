/**
 * How long it takes to reproduce the seed deadlock (two transactions updating two tables in
 * opposite order): with a barrier between the two updates, against a brute-force loop that
 * runs the same two transactions concurrently without a barrier until one deadlocks
 * (capped). Uses INTERLEAVE_PG_URL or an embedded server with deadlock_timeout = 50 ms.
 */
import type pg from 'pg';
import { runInParallel, type Runner } from 'interleave';
import { isDeadlock } from 'interleave/db';
import { connectPg, startPostgres } from '../test/support/postgres.ts';

/** Medians over `trials` runs, each until the first deadlock (brute force: or the cap). */
export interface DeadlockResult {
  trials: number;
  barrierAttempts: number;
  barrierMs: number;
  bruteAttempts: number;
  bruteMs: number;
  /** Brute-force trials that hit the cap without a deadlock. */
  bruteCapped: number;
  /** Of `rateAttempts` attempts each, how many deadlocked. */
  rateAttempts: number;
  barrierDeadlocks: number;
  bruteDeadlocks: number;
  cap: { attempts: number; ms: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** One attempt: returns true if one of the two transactions was a deadlock victim. */
async function attempt(
  clients: [pg.Client, pg.Client],
  tables: [string, string],
  barrier: boolean,
): Promise<boolean> {
  const [a, b] = tables;
  const transaction =
    (client: pg.Client, first: string, second: string) => async (runner: Runner) => {
      try {
        await client.query('BEGIN');
        await client.query(`UPDATE ${first} SET color = 'blue' WHERE id = 1`);
        if (barrier) await runner.await();
        await client.query(`UPDATE ${second} SET color = 'purple' WHERE id = 1`);
        await client.query('COMMIT');
        return false;
      } catch (error) {
        await client.query('ROLLBACK');
        if (isDeadlock(error)) return true;
        throw error;
      }
    };
  const victims = await runInParallel(transaction(clients[0], a, b), transaction(clients[1], b, a));
  return victims.includes(true);
}

export async function benchDeadlock(
  trials = 15,
  cap = { attempts: 200, ms: 10_000 },
): Promise<DeadlockResult> {
  const server = await startPostgres();
  const clients: pg.Client[] = [];
  const suffix = `${process.pid}`;
  const tables: [string, string] = [`bench_test0_${suffix}`, `bench_test1_${suffix}`];
  try {
    for (let i = 0; i < 3; i++) clients.push(await connectPg(server.url));
    const [setup, c0, c1] = clients as [pg.Client, pg.Client, pg.Client];
    await setup.query(`DROP TABLE IF EXISTS ${tables[0]}, ${tables[1]}`);
    await setup.query(`CREATE TABLE ${tables[0]} AS SELECT 1 AS id, 'green' AS color`);
    await setup.query(`CREATE TABLE ${tables[1]} AS SELECT 1 AS id, 'yellow' AS color`);

    const untilDeadlock = async (barrier: boolean) => {
      const start = performance.now();
      let attempts = 0;
      let found = false;
      while (!found && attempts < cap.attempts && performance.now() - start < cap.ms) {
        attempts++;
        found = await attempt([c0, c1], tables, barrier);
      }
      return { attempts, ms: performance.now() - start, found };
    };
    const withBarrier = [];
    const bruteForce = [];
    for (let trial = 0; trial < trials; trial++) {
      withBarrier.push(await untilDeadlock(true));
      bruteForce.push(await untilDeadlock(false));
    }
    const rateAttempts = 40;
    let barrierDeadlocks = 0;
    let bruteDeadlocks = 0;
    for (let i = 0; i < rateAttempts; i++) {
      if (await attempt([c0, c1], tables, true)) barrierDeadlocks++;
      if (await attempt([c0, c1], tables, false)) bruteDeadlocks++;
    }
    await setup.query(`DROP TABLE IF EXISTS ${tables[0]}, ${tables[1]}`);
    return {
      rateAttempts,
      barrierDeadlocks,
      bruteDeadlocks,
      trials,
      barrierAttempts: median(withBarrier.map((r) => r.attempts)),
      barrierMs: median(withBarrier.map((r) => r.ms)),
      bruteAttempts: median(bruteForce.map((r) => r.attempts)),
      bruteMs: median(bruteForce.map((r) => r.ms)),
      bruteCapped: bruteForce.filter((r) => !r.found).length,
      cap,
    };
  } finally {
    for (const client of clients) await client.end();
    await server.stop();
  }
}
