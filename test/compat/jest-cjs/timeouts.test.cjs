// Red on purpose, under Jest's default 5000 ms timeout: each test must fail with our
// message, not "Exceeded timeout" (scripts/compat.mjs checks both). A CommonJS test file
// cannot import() at its top level, and Jest needs the tests declared synchronously: the
// titles are repeated here, and each test loads its scenario.
const load = () => import('../timeout-scenarios.mjs');

test('a task that never reaches its barrier', async () => {
  await (await load()).neverArrives();
});

test('a task that never settles and reaches no barrier', async () => {
  await (await load()).neverSettles();
});

test('a PostgreSQL deadlock inside runInParallel', async () => {
  await (await load()).pgDeadlock();
});

test('a PostgreSQL row lock held across a barrier', async () => {
  await (await load()).pgLockAcrossBarrier();
});

test('explore finds an in-memory deadlock', async () => {
  await (await load()).exploreMutexDeadlock();
});

test('explore finds a PostgreSQL deadlock', async () => {
  await (await load()).explorePgDeadlock();
});
