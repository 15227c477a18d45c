// Checks the built package as a user gets it: `import 'interleave'` resolves to dist/, the
// hooks patch, the barrier opens, a worker thread starts from the compiled entry, and
// explore finds a race.
import assert from 'node:assert/strict';
import { after, checkpoint, explore, RaceError, runInParallel, runInWorkers } from 'interleave';
import { isDeadlock, classifyDbError } from 'interleave/db';

const db = { count: 0, getCount: () => db.count, setCount: (n) => (db.count = n) };
const increment = () => db.setCount(db.getCount() + 1);
after(db, 'getCount', () => increment());
increment();
assert.equal(db.count, 1, 'the lost update reproduces through dist/');

const order = [];
await runInParallel(
  async (runner) => {
    order.push('a');
    await runner.await();
    order.push('a2');
  },
  async (runner) => {
    order.push('b');
    await runner.await();
    order.push('b2');
  },
);
assert.deepEqual(order, ['a', 'b', 'a2', 'b2'], 'the barrier works through dist/');

const tasks = new URL('../test/fixtures/worker-tasks.mjs', import.meta.url);
const results = await runInWorkers(tasks, { tasks: ['phases', 'phases'], data: { rounds: 2 } });
assert.deepEqual(
  results.map((r) => r.seen),
  [
    [0, 1],
    [0, 1],
  ],
  'worker threads start from the compiled entry',
);

const shared = { n: 0 };
const bump = async () => {
  const n = shared.n;
  await checkpoint('between read and write');
  shared.n = n + 1;
};
const race = await explore({
  setup: () => {
    shared.n = 0;
  },
  tasks: [bump, bump],
  check: () => assert.equal(shared.n, 2),
}).catch((error) => error);
assert.ok(race instanceof RaceError, 'explore finds the lost update through dist/');
assert.equal(race.code, 'ERR_RACE_FOUND');

assert.equal(isDeadlock({ code: '40P01' }), true, 'interleave/db resolves to dist/db');
assert.equal(classifyDbError({ errno: 1205 }), 'lock-timeout');

console.log(
  'dist/ smoke test: hooks, runInParallel, runInWorkers, explore and interleave/db work from the build',
);
