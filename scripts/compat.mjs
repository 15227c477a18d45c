// `npm run test:compat`: the same race scenarios under every test runner we support, run
// against the package as users get it (`npm pack`, installed into a temporary project).
// Each runner must pass the green suite, report a failing race as an ordinary test failure
// carrying our message, and exit on its own (a runner that hangs means a handle was left).
// KEEP_COMPAT=1 keeps the temporary project, to rerun a runner by hand.
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
const { project } = packedProject('compat');
const results = [];
try {
  cpSync(join(repo, 'test/compat'), join(project, 'compat'), { recursive: true });
  // Vitest resolves `import 'vitest'` from the project: link the repository's copy.
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(
    dirname(require.resolve('vitest/package.json')),
    join(project, 'node_modules/vitest'),
  );

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
    results.push(passed, failed);
  }
  results.push(...tsWorkerChecks(project, bin.vitest));
} finally {
  removeProject(project, 'KEEP_COMPAT');
}

finish(results);
