// The TypeScript worker scenario of `npm run test:compat` (test/compat/ts-workers): a `.ts`
// task module run by runInWorkers from the packed package, in each way users run TypeScript
// tests: `node --import tsx`, node:test under tsx, and Vitest (its test file `.ts` too); and,
// where Node strips types (22.18+, 24), plain `node` without tsx. Each runs the module with
// no `execArgv` and with `execArgv: ['--import', 'tsx']`.
import { symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { check, run } from './packed-project.mjs';

const require = createRequire(import.meta.url);
const dir = 'compat/ts-workers';

/** Runs the scenario in `project` (which holds test/compat as compat/); returns the verdicts. */
export function tsWorkerChecks(project, vitestBin) {
  // tsx as users install it: the repository's copy, linked into the project.
  symlinkSync(dirname(require.resolve('tsx/package.json')), join(project, 'node_modules/tsx'));
  const node = (...args) => [process.execPath, args];
  const runs = [
    ['node --import tsx', node('--import', 'tsx', `${dir}/main.ts`)],
    ['node:test under tsx', node('--import', 'tsx', '--test', `${dir}/node-test.spec.ts`)],
    ['Vitest', node(vitestBin, 'run', '--root', project, `${dir}/vitest.spec.ts`)],
  ];
  if (process.features.typescript) {
    runs.push(
      ['node (type stripping)', node(`${dir}/main.ts`)],
      ['node:test (type stripping)', node('--test', `${dir}/node-test.spec.ts`)],
    );
  }
  return runs.map(([name, [command, args]]) =>
    check(
      `${name}: runInWorkers runs a TypeScript task module`,
      run(command, args, { cwd: project }),
    ),
  );
}
