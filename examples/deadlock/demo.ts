/**
 * The deadlock seed for `npm run demo`, on an embedded PostgreSQL (or INTERLEAVE_PG_URL):
 * two transactions update two tables in opposite order and meet at a barrier in between.
 */
import { runInParallel, type Runner } from 'interleave';
import { classifyDbError } from 'interleave/db';
import { connectPg, startPostgres } from '../../test/support/postgres.ts';

export interface DeadlockScenario {
  server: string;
  attempts: number;
  committed: number;
  victims: string[];
}

export async function deadlockScenario(attempts = 3): Promise<DeadlockScenario> {
  const server = await startPostgres();
  const connect = () => connectPg(server.url);
  const setup = await connect();
  const [test0, test1] = [`demo_test0_${process.pid}`, `demo_test1_${process.pid}`];
  let committed = 0;
  const victims: string[] = [];
  try {
    await setup.query(`CREATE TABLE ${test0} AS SELECT 1 AS id, 'green' AS color`);
    await setup.query(`CREATE TABLE ${test1} AS SELECT 1 AS id, 'yellow' AS color`);
    const transaction = (first: string, second: string) => async (runner: Runner) => {
      const client = await connect();
      try {
        await client.query('BEGIN');
        await client.query(`UPDATE ${first} SET color = 'blue' WHERE id = 1`);
        await runner.await();
        await client.query(`UPDATE ${second} SET color = 'purple' WHERE id = 1`);
        await client.query('COMMIT');
        committed++;
      } catch (error) {
        await client.query('ROLLBACK');
        const code = (error as { code?: unknown }).code;
        victims.push(`${classifyDbError(error) ?? 'other error'} (${String(code)})`);
      } finally {
        await client.end();
      }
    };
    for (let i = 0; i < attempts; i++) {
      await runInParallel(transaction(test0, test1), transaction(test1, test0));
    }
    await setup.query(`DROP TABLE ${test0}, ${test1}`);
  } finally {
    await setup.end();
    await server.stop();
  }
  return {
    server: server.source === 'embedded' ? 'embedded PostgreSQL' : 'INTERLEAVE_PG_URL',
    attempts,
    committed,
    victims,
  };
}
