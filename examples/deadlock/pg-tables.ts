/**
 * The seed's two one-row tables on PostgreSQL, created for a test file and dropped after it.
 * Names are unique per file so test files can run in parallel.
 */
import { afterAll, beforeAll } from 'vitest';
import { pgClient, uniqueName } from '../../test/support/db.ts';

export function usePgTables(prefix: string): { test0: string; test1: string } {
  const test0 = uniqueName(`${prefix}_test0`);
  const test1 = uniqueName(`${prefix}_test1`);
  beforeAll(async () => {
    const client = await pgClient();
    try {
      await client.query(`CREATE TABLE ${test0} AS SELECT 1 AS id, 'green' AS color`);
      await client.query(`CREATE TABLE ${test1} AS SELECT 1 AS id, 'yellow' AS color`);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    const client = await pgClient();
    try {
      await client.query(`DROP TABLE IF EXISTS ${test0}, ${test1}`);
    } finally {
      await client.end();
    }
  });
  return { test0, test1 };
}
