/**
 * interleave/register, as users run it: in a child Node process started with
 * `--import interleave/register` (the package's own build, as `npm test` builds it first).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProjectModule } from '../src/register/instrument.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixtures = 'test/fixtures/esm-register';
const typeStripping = (process.features as { typescript?: unknown }).typescript !== undefined;

function node(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe('node --import interleave/register', () => {
  it('makes the exports of the project ES modules patchable: Incrmnt across two modules', () => {
    const run = node(['--import', 'interleave/register', `${fixtures}/incrmnt.mjs`]);

    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      'incrmnt over ES module exports: lost update reproduced, method restored',
    );
  });

  it('without it, hooking a namespace is ERR_NOT_PATCHABLE, saying how to enable it', () => {
    const run = node([`${fixtures}/incrmnt.mjs`]);

    expect(run.status).not.toBe(0);
    const message = /InterleaveError: (.*)/.exec(run.stderr)?.[1];
    expect(message).toMatchInlineSnapshot(
      `"after() cannot patch \`getCount\`: the target is an ES module namespace, whose exports are read-only live bindings that only their own module may change. To fix it, either run the tests with \`node --import interleave/register\` (node:test, Mocha: NODE_OPTIONS='--import interleave/register'; see node_modules/interleave/docs/esm.md) so that the exports of your own modules become patchable, or pass the object that holds the function and that the code under test calls through (e.g. export a \`db\` object and hook \`after(db, 'getCount', ...)\`)."`,
    );
  });

  it('works on TypeScript modules loaded through a TS loader', () => {
    // Node 24 strips types itself; Node 20 needs tsx, registered first.
    const loader = typeStripping ? [] : ['--import', 'tsx'];
    const run = node([...loader, '--import', 'interleave/register', `${fixtures}/ts/incrmnt.ts`]);

    expect(run.stdout).toBe('TypeScript modules: lost update reproduced');
  });

  it('leaves modules that are not patched exactly as they were: getters, cycles, top-level await, re-exports', () => {
    const plain = node([`${fixtures}/probe.mjs`]);
    const instrumented = node(['--import', 'interleave/register', `${fixtures}/probe.mjs`]);

    expect(plain.status).toBe(0);
    expect(instrumented.stdout).toBe(plain.stdout);
    expect(JSON.parse(plain.stdout)).toMatchObject({
      mode: 'getter',
      ready: 'after top-level await',
      cycle: 'done',
      fromStar: 'star',
      tally: 42,
    });
  });

  it('keeps stack traces pointing at the right line and column', () => {
    const plain = node([`${fixtures}/throws.mjs`]);
    const instrumented = node(['--import', 'interleave/register', `${fixtures}/throws.mjs`]);

    expect(plain.stderr).toContain('throws.mjs:8:9');
    expect(instrumented.stderr).toContain('throws.mjs:8:9');
  });

  it('an error on a rewritten `const` line: the same position, and the original line with --enable-source-maps', () => {
    const file = `${fixtures}/throws-const.mjs`;
    const original = 'export const timeout = settings.timeout;';
    const plain = node([file]);
    const instrumented = node(['--import', 'interleave/register', file]);
    const mapped = node(['--enable-source-maps', '--import', 'interleave/register', file]);

    expect(plain.stderr).toContain(`throws-const.mjs:4:33`);
    expect(plain.stderr).toContain(original);
    // Node prints the line it ran: only the keyword differs, and nothing moves.
    expect(instrumented.stderr).toContain(`throws-const.mjs:4:33`);
    expect(instrumented.stderr).toContain(original.replace('const', 'let  '));
    expect(mapped.stderr).toContain(`throws-const.mjs:4:33`);
    expect(mapped.stderr).toContain(original);
    expect(mapped.stderr).not.toContain('let  ');
  });

  it('keeps stack positions with --enable-source-maps', () => {
    const run = node([
      '--enable-source-maps',
      '--import',
      'interleave/register',
      `${fixtures}/throws.mjs`,
    ]);

    expect(run.stderr).toContain('throws.mjs:8:9');
    expect(run.stderr).toContain("  throw new Error('from line 9');");
  });

  it('adds nothing to globalThis', () => {
    const run = node([`${fixtures}/globals.mjs`]);

    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ fired: 1, added: [] });
  });

  it('leaves node_modules alone unless INTERLEAVE_REGISTER_PACKAGES names the package', () => {
    const args = ['--import', 'interleave/register', `${fixtures}/package-probe.mjs`];

    expect(node(args).stdout).toBe('ERR_NOT_PATCHABLE');
    expect(node(args, { INTERLEAVE_REGISTER_PACKAGES: 'other, fake-pkg' }).stdout).toBe(
      'patchable',
    );
  });
});

describe('modules the loader once got wrong', () => {
  it('BOM and hashbang, a local named value, aliases restored out of order, minified consts, shadowed globals, a barrel', () => {
    const run = node(['--import', 'interleave/register', `${fixtures}/edge-main.mjs`]);

    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('edge cases ok');
  });

  it('rewrites only the `const` of exported declarations: not in strings, templates, comments or inner functions', () => {
    const plain = node([`${fixtures}/texts-main.mjs`]);
    const instrumented = node(['--import', 'interleave/register', `${fixtures}/texts-main.mjs`]);

    const [texts, hooks] = instrumented.stdout.split('\n');
    expect(instrumented.stderr).toBe('');
    expect(texts).toBe(plain.stdout.split('\n')[0]);
    expect(JSON.parse(texts ?? '')).toEqual({
      limit: 1,
      x: 1,
      inString: 'a;const limit = 1',
      afterBrace: 'b;{const x = 2',
      inTemplate: 'first line\nexport const x = 1\nconst limit = 1;{const x = 3}',
      describe: 'described',
      describeSource:
        "() => {\n  // export const limit = 0; const x = 0;\n  return 'described';\n}",
      shout: 'hi!',
      inner: 'inner const kept',
    });
    expect(hooks).toBe('describe: hooked, shout: hooked');
  });

  it('picks the package of the innermost node_modules (pnpm layout, nested installs)', () => {
    const own = 'file:///repo/node_modules/interleave/dist/';
    const pnpm = 'file:///repo/node_modules/.pnpm/my-db@1.0.0/node_modules/my-db/index.js';
    const nested = 'file:///repo/node_modules/my-db/node_modules/other/index.js';

    expect(isProjectModule(pnpm, own, ['my-db'])).toBe(true);
    expect(isProjectModule(nested, own, ['my-db'])).toBe(false);
    expect(isProjectModule('file:///repo/src/db.js', own, [])).toBe(true);
    expect(isProjectModule(`${own}index.js`, own, [])).toBe(false);
    expect(isProjectModule('node:fs', own, [])).toBe(false);
  });
});

describe('test runner recipes from docs/esm.md', () => {
  it('node:test: node --import interleave/register --test', () => {
    const run = node([
      '--import',
      'interleave/register',
      '--test',
      '--test-reporter=tap',
      `${fixtures}/runner.test.mjs`,
    ]);

    expect(run.stdout).toMatch(/# pass 1/);
    expect(run.status).toBe(0);
  });

  it("Mocha: NODE_OPTIONS='--import interleave/register' mocha", () => {
    const mocha = fileURLToPath(new URL('../node_modules/mocha/bin/mocha.js', import.meta.url));
    const run = node([mocha, `${fixtures}/runner.test.mjs`], {
      NODE_OPTIONS: '--import interleave/register',
    });

    expect(run.stdout).toMatch(/1 passing/);
    expect(run.status).toBe(0);
  });
});
