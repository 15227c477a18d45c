/**
 * Recipe: a job queue in PostgreSQL where two workers process the same job. Each worker
 * SELECTs the oldest pending job, then UPDATEs it to running: between the two, another worker
 * can pick the same job. `explore` finds that interleaving by itself on the real database;
 * claiming with `UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED)` passes every
 * schedule.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpoint, explore, type ExploreSpec, RaceError } from 'interleave';
import { pgClient, uniqueName } from '../../test/support/db.ts';

const jobs = uniqueName('recipe_jobs');

beforeAll(async () => {
  const client = await pgClient();
  try {
    await client.query(`CREATE TABLE ${jobs} (id int PRIMARY KEY, status text NOT NULL)`);
  } finally {
    await client.end();
  }
});

afterAll(async () => {
  const client = await pgClient();
  try {
    await client.query(`DROP TABLE IF EXISTS ${jobs}`);
  } finally {
    await client.end();
  }
});

// #region claim
/** The racy claim: read the oldest pending job, then mark it running. */
async function claimRacy(client: pg.Client): Promise<number | undefined> {
  const { rows } = await client.query<{ id: number }>(
    `SELECT id FROM ${jobs} WHERE status = 'pending' ORDER BY id LIMIT 1`,
  );
  const id = rows[0]?.id;
  if (id === undefined) return undefined;
  await checkpoint('picked'); // another worker may run here
  await client.query(`UPDATE ${jobs} SET status = 'running' WHERE id = $1`, [id]);
  return id;
}

/** The fix: one statement that skips rows another worker has locked. */
async function claimSafe(client: pg.Client): Promise<number | undefined> {
  await checkpoint('claim');
  const { rows } = await client.query<{ id: number }>(
    `UPDATE ${jobs} SET status = 'running' WHERE id = (
       SELECT id FROM ${jobs} WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
     ) RETURNING id`,
  );
  return rows[0]?.id;
}
// #endregion

interface Workers {
  a: pg.Client;
  b: pg.Client;
}

function twoWorkers(
  claim: (client: pg.Client) => Promise<number | undefined>,
): ExploreSpec<Workers> {
  return {
    strategy: 'exhaustive',
    setup: async () => {
      const workers = { a: await pgClient(), b: await pgClient() };
      await workers.a.query(`DELETE FROM ${jobs}`);
      await workers.a.query(`INSERT INTO ${jobs} VALUES (1, 'pending'), (2, 'pending')`);
      return workers;
    },
    teardown: async ({ a, b }) => {
      await Promise.all([a.end(), b.end()]);
    },
    tasks: [async ({ a }) => claim(a), async ({ b }) => claim(b)],
    check: (_workers, claimed) => {
      // Two workers, two jobs: each job processed once.
      expect(new Set(claimed).size).toBe(claimed.length);
    },
  };
}

describe('a PostgreSQL job queue with two workers', () => {
  it('SELECT then UPDATE: explore finds both workers claiming job 1', async () => {
    // #region found
    const race = await explore(twoWorkers(claimRacy)).catch((error: unknown) => error);

    expect(race).toBeInstanceOf(RaceError);
    expect(race).toMatchObject({ code: 'ERR_RACE_FOUND' });
    const picked = (race as RaceError).trace.filter((step) => step.label === 'picked');
    expect(picked).toHaveLength(2); // both workers passed `picked`: each claimed job 1
    // #endregion
  }, 30_000);

  it('UPDATE ... FOR UPDATE SKIP LOCKED: every schedule gives each worker its own job', async () => {
    const report = await explore(twoWorkers(claimSafe));

    expect(report.exhausted).toBe(true);
  }, 30_000);
});
