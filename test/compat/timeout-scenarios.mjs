// Failures that must show OUR message under every runner's DEFAULT test timeout (Mocha
// 2000 ms, Jest and Vitest 5000 ms, node:test none): no file of the matrix sets a timeout.
// Each scenario fails its test; scripts/compat.mjs checks the output and prints how long each
// took, which every scenario appends to the file INTERLEAVE_COMPAT_TIMES (a JSON line).
// The PostgreSQL scenarios use INTERLEAVE_PG_URL, and the server's default deadlock_timeout
// (1 s), not the 50 ms the repository's own suite sets.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { checkpoint, explore, runInParallel } from 'interleave';

/** Runs a test's whole body, and records how long it took to fail (or pass). */
async function timed(scenario, body) {
  const started = performance.now();
  const notes = {};
  try {
    await body(notes);
  } finally {
    const ms = Math.round(performance.now() - started);
    const file = process.env.INTERLEAVE_COMPAT_TIMES;
    if (file) appendFileSync(file, `${JSON.stringify({ scenario, ms, ...notes })}\n`);
  }
}

/** (a) One task waits at the barrier; the other waits for an event that never comes. */
export function neverArrives() {
  return timed('a task never reaches its barrier', () =>
    runInParallel(
      async (runner) => {
        await runner.await('ready');
      },
      // Ignores runner.signal too: the worst case, it is abandoned after `timeout` again.
      () => new Promise(() => undefined),
    ),
  );
}

/**
 * (a') A task that never settles and never reaches a barrier: no barrier can fail, only
 * `taskTimeout` (default 1500 ms) ends the run, naming where the task was.
 */
export function neverSettles() {
  return timed('a task never settles', () =>
    runInParallel(
      () => 'done',
      async function lookup() {
        await new Promise(() => undefined);
      },
    ),
  );
}

/** A connection to the matrix's PostgreSQL, with the server default's deadlock_timeout. */
async function connect(notes) {
  const { default: pg } = await import('pg');
  const url = process.env.INTERLEAVE_PG_URL;
  if (!url) throw new Error('INTERLEAVE_PG_URL is not set: scripts/compat.mjs sets it');
  const client = new pg.Client({ connectionString: url, application_name: 'interleave-compat' });
  await client.connect();
  // What a server left at its defaults does (a server started for tests may set less).
  await client.query(`SET deadlock_timeout = '1s'`);
  const { rows } = await client.query('SHOW deadlock_timeout');
  notes.deadlock_timeout = rows[0].deadlock_timeout;
  return client;
}

/** A table of two rows for one scenario, dropped at its end. */
async function withRows(notes, body) {
  const admin = await connect(notes);
  // Named after the compat run, which drops what a test stopped by its runner left.
  const run = process.env.INTERLEAVE_COMPAT_RUN ?? process.pid;
  const table = `interleave_compat_${run}_${Math.floor(Math.random() * 1e6)}`;
  try {
    await admin.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL)`);
    await admin.query(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
    await body(table);
  } finally {
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
    await admin.end();
  }
}

/** Updates row `first`, waits for `meet()`, updates row `second`, commits. */
async function lockBoth(client, table, first, second, meet) {
  await client.query('BEGIN');
  try {
    await client.query(`UPDATE ${table} SET n = n + 1 WHERE id = $1`, [first]);
    await meet();
    await client.query(`UPDATE ${table} SET n = n + 1 WHERE id = $1`, [second]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** (b) Two transactions lock two rows in opposite order, meeting at a barrier in between. */
export function pgDeadlock() {
  return timed('PostgreSQL deadlock in runInParallel', (notes) =>
    withRows(notes, (table) => {
      const transaction = (first, second) => async (runner) => {
        const client = await connect(notes);
        try {
          await lockBoth(client, table, first, second, () => runner.await('first row locked'));
        } finally {
          await client.end();
        }
      };
      return runInParallel(transaction(1, 2), transaction(2, 1));
    }),
  );
}

/**
 * (b') A deadlock PostgreSQL cannot see: both transactions lock row 1 first, so the second
 * waits for the lock the first holds while the first waits for it at the barrier.
 */
export function pgLockAcrossBarrier() {
  return timed('PostgreSQL lock held across a barrier', (notes) =>
    withRows(notes, (table) => {
      const transaction = async (runner) => {
        const client = await connect(notes);
        try {
          await lockBoth(client, table, 1, 2, () => runner.await('row 1 locked'));
        } finally {
          await client.end();
        }
      };
      return runInParallel(transaction, transaction);
    }),
  );
}

/** An async mutex whose waiters queue up; nothing in it is a scheduling point. */
class Mutex {
  #locked = false;
  #waiters = [];

  async lock() {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock() {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

/** (c) explore, default options: two tasks lock two mutexes in opposite order. */
export function exploreMutexDeadlock() {
  return timed('explore: in-memory deadlock', () =>
    explore({
      setup: () => ({ a: new Mutex(), b: new Mutex() }),
      tasks: [
        async function transfer({ a, b }) {
          await a.lock();
          await checkpoint('holds a');
          await b.lock();
          b.unlock();
          a.unlock();
        },
        async function refund({ a, b }) {
          await b.lock();
          await checkpoint('holds b');
          await a.lock();
          a.unlock();
          b.unlock();
        },
      ],
    }),
  );
}

/** (d) explore, default options: the PostgreSQL deadlock of (b), without a barrier. */
export function explorePgDeadlock() {
  return timed('explore: PostgreSQL deadlock', (notes) =>
    withRows(notes, (table) =>
      explore({
        setup: async () => ({ a: await connect(notes), b: await connect(notes) }),
        teardown: ({ a, b }) => Promise.all([a.end(), b.end()]),
        tasks: [
          async function forward({ a }) {
            await lockBoth(a, table, 1, 2, () => checkpoint('row 1 locked'));
          },
          async function backward({ b }) {
            await lockBoth(b, table, 2, 1, () => checkpoint('row 2 locked'));
          },
        ],
      }),
    ),
  );
}

/** Every scenario with its test's title: each runner's timeouts file makes one test of each. */
export const scenarios = [
  ['a task that never reaches its barrier', neverArrives],
  ['a task that never settles and reaches no barrier', neverSettles],
  ['a PostgreSQL deadlock inside runInParallel', pgDeadlock],
  ['a PostgreSQL row lock held across a barrier', pgLockAcrossBarrier],
  ['explore finds an in-memory deadlock', exploreMutexDeadlock],
  ['explore finds a PostgreSQL deadlock', explorePgDeadlock],
];
