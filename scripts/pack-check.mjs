// `npm run test:pack`: checks the package as users get it. `npm pack`s it, installs the tarball
// into a temporary project and imports it from ESM, from CommonJS (`require`, which Node
// >= 20.19 supports for ES modules without top-level await), and from TypeScript with
// `moduleResolution` `nodenext` and `bundler` (`tsc --noEmit`); then runs publint and
// @arethetypeswrong/cli on the tarball. KEEP_PACK=1 keeps the temporary project.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { check, finish, packedProject, removeProject, repo, run } from './packed-project.mjs';

const require = createRequire(import.meta.url);
const results = [];

const consumer = `
import { after, explore, checkpoint, RaceError, runInParallel, type Hook, type ExploreReport } from 'interleave';
import { isDeadlock, type DbErrorKind } from 'interleave/db';

const db = { count: 0, async getCount(): Promise<number> { return this.count; } };
const hook: Hook<[], number> = after(db, 'getCount', ({ result }) => { const n: number | undefined = result; void n; });
hook.restore();
const report: Promise<ExploreReport> = explore({ tasks: [async () => { await checkpoint(); }] });
void report;
void runInParallel(async (runner) => { await runner.await(); });
const kind: DbErrorKind | undefined = isDeadlock({}) ? 'deadlock' : undefined;
void kind;
void RaceError;
`;

const { project, tarball } = packedProject('pack-check');
try {
  // TypeScript for the consumer checks: the repository's own copy.
  mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
  symlinkSync(
    dirname(require.resolve('typescript/package.json')),
    join(project, 'node_modules/typescript'),
  );
  symlinkSync(
    dirname(require.resolve('@types/node/package.json')),
    join(project, 'node_modules/@types/node'),
  );

  results.push(
    check(
      'ESM: import every entry point',
      run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `
        const main = await import('interleave');
        const db = await import('interleave/db');
        for (const name of ['after', 'before', 'restoreAll', 'runInParallel', 'runInWorkers', 'explore', 'checkpoint', 'yieldAt', 'RaceError', 'InterleaveError'])
          if (typeof main[name] !== 'function') throw new Error('missing export ' + name);
        if (!db.isDeadlock({ code: '40P01' })) throw new Error('interleave/db');
      `,
        ],
        { cwd: project },
      ),
    ),
    check(
      'CommonJS: require() every entry point',
      run(
        process.execPath,
        [
          '-e',
          `
        const main = require('interleave');
        const db = require('interleave/db');
        if (typeof main.explore !== 'function' || typeof main.after !== 'function') throw new Error('missing exports');
        if (!db.isDeadlock({ code: '40P01' })) throw new Error('interleave/db');
      `,
        ],
        { cwd: project },
      ),
    ),
  );
  mkdirSync(join(project, 'esm'));
  writeFileSync(join(project, 'esm/db.mjs'), 'export async function getCount() { return 0; }\n');
  writeFileSync(
    join(project, 'esm/main.mjs'),
    [
      "import { after } from 'interleave';",
      "import * as db from './db.mjs';",
      "const hook = after(db, 'getCount', () => {});",
      'await db.getCount();',
      'hook.restore();',
      "if (hook.fired !== 1) throw new Error('the hook did not fire');",
    ].join('\n'),
  );
  results.push(
    check(
      'node --import interleave/register: a namespace export is hooked',
      run(process.execPath, ['--import', 'interleave/register', 'esm/main.mjs'], { cwd: project }),
    ),
  );
  for (const resolution of ['nodenext', 'bundler']) {
    const dir = join(project, `ts-${resolution}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'consumer.ts'), consumer);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2023',
          lib: ['ES2023', 'ESNext.Disposable'],
          module: resolution === 'bundler' ? 'esnext' : 'nodenext',
          moduleResolution: resolution,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    results.push(
      check(
        `TypeScript, moduleResolution ${resolution}: tsc --noEmit`,
        run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', dir], {
          cwd: dir,
        }),
      ),
    );
  }
  results.push(
    check(
      'publint',
      run(
        process.execPath,
        [
          join(repo, 'node_modules/publint/src/cli.js'),
          '--strict',
          join(project, 'node_modules/interleave'),
        ],
        {
          cwd: project,
        },
      ),
    ),
    check(
      '@arethetypeswrong/cli (ESM-only profile: CommonJS consumers use require(esm))',
      run(
        process.execPath,
        [
          join(repo, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
          join(project, tarball),
          '--profile',
          'esm-only',
        ],
        { cwd: project },
      ),
    ),
  );
} finally {
  removeProject(project, 'KEEP_PACK');
}

finish(results);
