// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import of one of `folders` of src/, from any depth (`../explore/x.ts`, `./db/y.ts`). */
const importOf = (folders) => `^(\\.{1,2}/)+(${folders.join('|')})(/|$)`;

/**
 * The layers of src/ import downwards only (issue #13): nothing but the entry point imports
 * the explore engine, which sits on top; the primitives (hooks, barriers, trace, db) never
 * import it; the shared helpers in src/internal import none of the feature folders. Import
 * cycles are checked by scripts/check-cycles.mjs (`npm run lint` runs it).
 */
const noUpwardImports = (folders, why) => [
  'error',
  { patterns: [{ regex: importOf(folders), message: why }] },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `using _lock = ...` holds a resource for its scope without reading it.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^_', argsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Hooks deal in arbitrary user functions: `Function` and `unknown` returns are the point.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-invalid-void-type': 'off',
      // With noUncheckedIndexedAccess, `xs[i] as X` after a bounds check is the clear form.
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      // `async` without `await` is how a function turns its throws into rejections.
      '@typescript-eslint/require-await': 'off',
      // A test library passes on whatever user code threw, Error or not.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
      },
    },
  },
  {
    // The hooks core runs inside wrappers a user may put on any built-in: it loops over
    // arrays by index, as their iterator may be hooked too (see src/internal/intrinsics.ts).
    files: ['src/hooks/**/*.ts', 'src/internal/**/*.ts'],
    rules: { '@typescript-eslint/prefer-for-of': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/index.ts', 'src/explore/**', 'src/internal/**'],
    rules: {
      'no-restricted-imports': noUpwardImports(
        ['explore'],
        'Only src/index.ts imports src/explore: the scheduler sits on top of the primitives. Move what both need down (src/hooks, src/trace, src/internal).',
      ),
    },
  },
  // Inside src/explore: the engine runs one schedule and knows nothing of how schedules are
  // chosen, replayed, shrunk or reported; strategies and replay never import the report.
  {
    files: ['src/explore/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: importOf(['strategies', 'replay', 'report']),
              message:
                'src/explore/engine runs one schedule for any chooser: what strategies, replay and the report need of it goes in engine/run-types.ts, not the other way round.',
            },
            {
              regex: '^\\.\\./[^/]+\\.ts$',
              message:
                'src/explore/engine imports nothing from src/explore itself (explore.ts, session.ts, the points): they are built on the engine.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/explore/strategies/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: importOf(['report']),
              message:
                'Strategies and replay produce schedules; only explore.ts turns them into a report.',
            },
            {
              regex: '^\\.\\./(explore|session)\\.ts$',
              message: 'explore.ts and session.ts sit on top of the strategies and replay.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/explore/replay/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: importOf(['report', 'strategies']),
              message:
                'src/explore/replay (tokens, shrinking) sits below the strategies and the report: they import it, not the other way round.',
            },
            {
              regex: '^\\.\\./(explore|session)\\.ts$',
              message: 'explore.ts and session.ts sit on top of the strategies and replay.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/internal/**/*.ts'],
    rules: {
      'no-restricted-imports': noUpwardImports(
        ['explore', 'hooks', 'parallel', 'trace', 'db', 'register'],
        'src/internal holds helpers shared by the feature folders and imports none of them.',
      ),
    },
  },
  {
    files: ['test/compat/jest/**', 'test/compat/jest-cjs/**'],
    languageOptions: { globals: { test: 'readonly', expect: 'readonly' } },
  },
  {
    files: ['test/compat/mocha/**'],
    languageOptions: { globals: { describe: 'readonly', it: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        exports: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  {
    files: ['test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests compare method identities on purpose and use terse arrow callbacks.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
);
