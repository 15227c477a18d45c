// `npm run test:compat`: the same race scenarios under every test runner we support, run
// against the package as users get it (`npm pack`, installed into a temporary project).
// Each runner must pass the green suite, report a failing race as an ordinary test failure
// carrying our message, and exit on its own (a runner that hangs means a handle was left).
// Under each runner's default test timeout, a task that never reaches its barrier and
// PostgreSQL deadlocks (a server from test/support/postgres.ts: INTERLEAVE_PG_URL, or an
// embedded one) must show our message, not the runner's timeout; how long each took is
// printed (docs/test-runners.md quotes it).
// KEEP_COMPAT=1 keeps the temporary project, to rerun a runner by hand.
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { tsWorkerChecks } from './compat-ts-workers.mjs';
import { check, finish, packedProject, removeProject, repo, run } from './packed-project.mjs';

const require = createRequire(import.meta.url);
const bin = {
  mocha: join(repo, 'node_modules/mocha/bin/mocha.js'),
  jest: join(repo, 'node_modules/jest/bin/jest.js'),
  vitest: join(repo, 'node_modules/vitest/vitest.mjs'),
};
// Our messages: the root failure, and the barrier it broke (Vitest shows an AggregateError's
// errors one by one rather than its own summary, so the summary is not required).
const RED_MESSAGES = [
  'the task that breaks the race',
  'Barrier 1 can never open',
  'explore found a schedule in which check() failed',
  "explore's lost update: count 1",
];
// test/compat/timeout-scenarios.mjs, under the runners' default timeouts: our messages (the
// barrier's table, also for a row lock held across a barrier; the task timeout of a task that
// never settles; PostgreSQL's deadlock error in a ParallelError and in a RaceError; the
// RaceError of an in-memory deadlock), never the runner's own timeout.
const TIMEOUT_MESSAGES = [
  'Barrier 1 timed out after 500 ms with 1 of 2 tasks arrived',
  'Task 1 (`lookup`) was still running 1500 ms after it started',
  // Either task may take the row lock first (their connections race).
  'waiting at barrier 1 "row 1 locked"',
  // PostgreSQL's error: in the ParallelError's own lines (all node:test shows of it), or its
  // stack (Vitest shows the task's error itself, Mocha and Jest the cause too).
  /\(failed first\): error \[40P01\]: deadlock detected|error: deadlock detected/,
  'explore found a deadlock',
  'task 0 (transfer)',
];
// Shown when PostgreSQL breaks its deadlock (after its deadlock_timeout of 1 s) within explore's
// settleTimeout; on a loaded machine it may come later, and the RaceError (required above) is
// then reported without it: a note, not a failure.
const LOAD_DEPENDENT_MESSAGES = ['cause: error [40P01]: deadlock detected'];
const RUNNER_TIMEOUTS = [
  /Timeout of \d+ms exceeded/, // Mocha
  /Exceeded timeout of \d+ ms/, // Jest
  /Test timed out in \d+ms/, // Vitest
  /test timed out after/i, // node:test (with a timeout set)
];
const TIMEOUT_SCENARIOS = 6; // test/compat/timeout-scenarios.mjs's `scenarios`
/**
 * Mocha's default test timeout, the shortest. A scenario slower than that under Mocha shows
 * Mocha's timeout, which fails the check above; under the other runners a slower scenario
 * still shows our message, so its time is printed with a note rather than failing the run
 * (the time depends on the machine's load; what the user sees is what is checked).
 */
const SHORTEST_RUNNER_TIMEOUT = 2000;

const { startPostgres } = await tsImport('../test/support/postgres.ts', import.meta.url);
const postgres = await startPostgres();
const { project } = packedProject('compat');
const times = join(project, 'times.jsonl');
const results = [];
const figures = [];
try {
  cpSync(join(repo, 'test/compat'), join(project, 'compat'), { recursive: true });
  // Vitest resolves `import 'vitest'` from the project, the scenarios `import('pg')`: link
  // the repository's copies.
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  for (const name of ['vitest', 'pg']) {
    symlinkSync(
      dirname(require.resolve(`${name}/package.json`)),
      join(project, 'node_modules', name),
    );
  }
  process.env.INTERLEAVE_PG_URL = postgres.url;
  process.env.INTERLEAVE_COMPAT_TIMES = times;
  process.env.INTERLEAVE_COMPAT_RUN = String(process.pid);

  const jestConfig = (match) =>
    JSON.stringify({
      rootDir: project,
      testMatch: [`<rootDir>/compat/jest/${match}`],
      transform: {},
      testEnvironment: require.resolve('jest-environment-node'),
    });
  const runners = [
    ['node:test', (file) => [process.execPath, ['--test', `compat/node-test/${file}.test.mjs`]]],
    ['Mocha', (file) => [process.execPath, [bin.mocha, `compat/mocha/${file}.spec.mjs`]]],
    [
      'Jest (ESM)',
      (file) => [
        process.execPath,
        ['--experimental-vm-modules', bin.jest, '--config', jestConfig(`${file}.test.mjs`)],
      ],
    ],
    [
      'Jest (CommonJS)',
      (file) => [
        process.execPath,
        [
          '--experimental-vm-modules',
          bin.jest,
          '--config',
          jestConfig(`${file}.test.cjs`).replace('compat/jest/', 'compat/jest-cjs/'),
        ],
      ],
    ],
    [
      'Vitest',
      (file) => [
        process.execPath,
        [bin.vitest, 'run', '--root', project, `compat/vitest/${file}.test.mjs`],
      ],
    ],
  ];
  for (const [name, command] of runners) {
    const [green, greenArgs] = command('race');
    const passed = check(
      `${name}: the race suite passes`,
      run(green, greenArgs, { cwd: project }),
      (r) => r.status === 0,
    );
    const [red, redArgs] = command('red');
    const failed = check(
      `${name}: a failing race fails the test, with our message`,
      run(red, redArgs, { cwd: project }),
      (r) =>
        r.status !== 0 &&
        !r.timedOut &&
        RED_MESSAGES.every((m) => (r.stdout + r.stderr).includes(m)),
    );
    rmSync(times, { force: true });
    const [late, lateArgs] = command('timeouts');
    const outcome = run(late, lateArgs, { cwd: project });
    const timed = readTimes(times);
    figures.push(...timed.map((t) => ({ runner: name, ...t })));
    const problems = lateProblems(outcome, timed);
    const inTime = check(
      `${name}: a barrier never reached and a deadlock show our message, not the runner's timeout`,
      outcome,
      (r) => r.status !== 0 && !r.timedOut && problems.length === 0,
    );
    for (const problem of [...problems, ...lateNotes(outcome, timed)])
      console.log(`  - ${problem}`);
    results.push(passed, failed, inTime);
  }
  results.push(...tsWorkerChecks(project, bin.vitest));
} finally {
  removeProject(project, 'KEEP_COMPAT');
  await dropScenarioTables(postgres.url);
  await postgres.stop();
}

console.log('\nTime from the start of each test to its failure, default runner timeouts:');
for (const { runner, scenario, ms, deadlock_timeout: deadlockTimeout } of figures) {
  const note = deadlockTimeout === undefined ? '' : ` (deadlock_timeout ${deadlockTimeout})`;
  console.log(`  ${runner.padEnd(16)} ${scenario.padEnd(40)} ${String(ms).padStart(5)} ms${note}`);
}
finish(results);

/** What is wrong with a run of the timeouts file: each missing message, runner timeout, slow test. */
function lateProblems(outcome, timed) {
  const output = outcome.stdout + outcome.stderr;
  return [
    ...TIMEOUT_MESSAGES.filter(
      (m) => !(typeof m === 'string' ? output.includes(m) : m.test(output)),
    ).map((m) => `our message is missing: ${m}`),
    ...RUNNER_TIMEOUTS.filter((pattern) => pattern.test(output)).map(
      (pattern) => `the runner's timeout shows: ${pattern}`,
    ),
    ...(timed.length === TIMEOUT_SCENARIOS
      ? []
      : [`${timed.length} of ${TIMEOUT_SCENARIOS} scenarios recorded their time`]),
  ];
}

/** What a loaded machine may change without the user seeing the runner's timeout. */
function lateNotes(outcome, timed) {
  const output = outcome.stdout + outcome.stderr;
  return [
    ...LOAD_DEPENDENT_MESSAGES.filter((m) => !output.includes(m)).map(
      (m) => `note: not shown this time: ${m}`,
    ),
    ...timed
      .filter((t) => t.ms >= SHORTEST_RUNNER_TIMEOUT)
      .map((t) => `note: ${t.scenario} took ${t.ms} ms, more than Mocha's default timeout`),
  ];
}

/** Drops the tables of this run's scenarios that a runner's timeout kept from dropping theirs. */
async function dropScenarioTables(url) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE $1`, [
      `interleave\\_compat\\_${process.pid}\\_%`,
    ]);
    for (const { tablename } of rows) await client.query(`DROP TABLE "${tablename}"`);
  } finally {
    await client.end();
  }
}

/** The JSON lines test/compat/timeout-scenarios.mjs appended, one per scenario that ran. */
function readTimes(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
