/**
 * Compile-time contract of the hook API: checked by `npm run typecheck` (expectTypeOf and
 * the `@ts-expect-error` lines), and run as ordinary tests too.
 */
import { afterEach, expectTypeOf, it } from 'vitest';
import { after, before, type CallInfo, type Hook, restoreAll } from 'interleave';

afterEach(() => {
  restoreAll();
});

class Repo {
  name = 'repo';
  async find(id: number, deep: boolean): Promise<{ id: number }> {
    await Promise.resolve();
    return { id: deep ? id : -id };
  }
  size(): number {
    return 1;
  }
}

it('types args and the awaited result from the hooked method', async () => {
  const repo = new Repo();

  const hook = after(repo, 'find', ({ args, result }) => {
    expectTypeOf(args).toEqualTypeOf<[id: number, deep: boolean]>();
    expectTypeOf(result).toEqualTypeOf<{ id: number } | undefined>();
  });
  before(repo, 'size', ({ args }) => {
    expectTypeOf(args).toEqualTypeOf<[]>();
  });
  await repo.find(1, true);
  repo.size();

  expectTypeOf(hook).toEqualTypeOf<Hook<[id: number, deep: boolean], { id: number }>>();
  expectTypeOf(hook.triggered).resolves.toEqualTypeOf<
    CallInfo<[id: number, deep: boolean], { id: number }>
  >();
});

it('accepts only names of function-valued properties', () => {
  const repo = new Repo();

  // @ts-expect-error `name` is a string, not a method
  expectTypeOf(() => after(repo, 'name', () => undefined)).toBeFunction();
  // @ts-expect-error there is no `finde`
  expectTypeOf(() => after(repo, 'finde', () => undefined)).toBeFunction();
  expectTypeOf(() => after(Repo.prototype, 'find', () => undefined)).toBeFunction();
});

it('types `when` like the hook', () => {
  const repo = new Repo();

  after(repo, 'find', () => undefined, {
    when: ({ args, result }) => args[0] > 0 && result?.id !== 0,
    unfired: 'ignore',
  });
});

it('keeps untyped targets usable', () => {
  const loose: Record<string, (...args: unknown[]) => unknown> = { run: () => 1 };

  const hook = after(
    loose,
    'run',
    ({ args }) => {
      expectTypeOf(args).toEqualTypeOf<unknown[]>();
    },
    { unfired: 'ignore' },
  );

  expectTypeOf(hook.fired).toBeNumber();
});
