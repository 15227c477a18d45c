/**
 * Incrmnt with its counter in a PostgreSQL table: the same hook as with the in-memory
 * stores, `after(store, 'getCount', ...)`, wedges a whole second request between the first
 * request's SELECT and its UPDATE, on a real server.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { after, restoreAll } from 'interleave';
import { pgUrl, uniqueName } from '../../test/support/db.ts';

/** Incrmnt's store, backed by one row of a PostgreSQL table. */
class PgCounterStore {
  readonly #pool: pg.Pool;
  readonly #table: string;

  constructor(pool: pg.Pool, table: string) {
    this.#pool = pool;
    this.#table = table;
  }

  async getCount(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      `SELECT n FROM ${this.#table} WHERE id = 1`,
    );
    return rows[0]?.n ?? 0;
  }

  async setCount(n: number): Promise<void> {
    await this.#pool.query(`UPDATE ${this.#table} SET n = $1 WHERE id = 1`, [n]);
  }

  /** The atomic fix. */
  async incrementCount(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: number }>(
      `UPDATE ${this.#table} SET n = n + 1 WHERE id = 1 RETURNING n`,
    );
    return rows[0]?.n ?? 0;
  }
}

let pool: pg.Pool;
let store: PgCounterStore;
const table = uniqueName('incrmnt');

/** The request handler: read, add one, write. */
async function increment(): Promise<number> {
  const count = await store.getCount();
  await store.setCount(count + 1);
  return count + 1;
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: pgUrl(), max: 4 });
  await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL)`);
  store = new PgCounterStore(pool, table);
});

beforeEach(async () => {
  await pool.query(`DELETE FROM ${table}`);
  await pool.query(`INSERT INTO ${table} VALUES (1, 0)`);
});

afterEach(() => {
  restoreAll();
});

afterAll(async () => {
  await pool.query(`DROP TABLE IF EXISTS ${table}`);
  await pool.end();
});

it('reproduces the lost update on a real table: two requests, count 1', async () => {
  using hook = after(store, 'getCount', () => increment());

  await increment();

  expect(hook.fired).toBe(1);
  expect(await store.getCount()).toBe(1);
});

it('the atomic UPDATE ... SET n = n + 1 passes the same race: count 2', async () => {
  using hook = after(store, 'incrementCount', () => store.incrementCount());

  await store.incrementCount();

  expect(hook.fired).toBe(1);
  expect(await store.getCount()).toBe(2);
});
