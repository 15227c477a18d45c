import { arrayPush, setForEach } from '../internal/intrinsics.ts';
import { isCollecting } from './collect.ts';
import { HookHandle, installedHooks } from './hook-handle.ts';
import { patchFor } from './patch.ts';
import { captureSite } from './site.ts';
import type { ArgsOf, Hook, HookFn, HookOptions, MethodKey, ResultOf } from './types.ts';
import { validateHookArgs } from './validate.ts';

/**
 * Runs `hook` right before a call of `target[key]`, once by default. If the hook returns a
 * promise, the original is called only after it settles (the method must then be
 * asynchronous). A hook that throws makes the call throw (or reject) without calling the
 * original.
 *
 * @param target - the object that holds the method: an instance, `Class.prototype`, a class
 *   (static method) or a CommonJS `module.exports`.
 * @param key - the method's name.
 * @param hook - the code to run; it receives the call's {@link CallInfo}.
 * @param options - `times` (default 1, `Infinity` for every call), `when`, `skip`,
 *   `timeout` (default 1000 ms), `unfired` (default `'warn'`): see {@link HookOptions}.
 * @returns a {@link Hook} handle; `using` restores it at the end of the scope.
 *
 * @example
 * ```ts
 * import { before } from 'interleave';
 *
 * const db = { async setCount(n: number) { console.log('set', n); } };
 * using hook = before(db, 'setCount', async ({ args }) => {
 *   console.log('about to set', args[0]);
 * });
 * await db.setCount(1); // about to set 1, then: set 1
 * ```
 */
export function before<T extends object, K extends MethodKey<T>>(
  target: T,
  key: K,
  hook: HookFn<ArgsOf<T[K]>, never>,
  options?: HookOptions<ArgsOf<T[K]>, never>,
): Hook<ArgsOf<T[K]>, never> {
  return install('before', before, target, key, hook, options) as Hook<ArgsOf<T[K]>, never>;
}

/**
 * Runs `hook` right after a call of `target[key]` returns, once by default: for a method
 * that returns a promise, after that promise settles (fulfilled or rejected), and the caller
 * sees the outcome only once the hook (and any promise it returned) is done. It also runs
 * when the original throws. The hook disarms itself before it runs, so it may call the
 * hooked method without recursing: the classic way to wedge a whole second request between
 * a read and a write.
 *
 * @param target - the object that holds the method: an instance, `Class.prototype`, a class
 *   (static method) or a CommonJS `module.exports`.
 * @param key - the method's name.
 * @param hook - the code to run; its {@link CallInfo} has `result` or `error`.
 * @param options - `times` (default 1, `Infinity` for every call), `when`, `skip`,
 *   `timeout` (default 1000 ms), `unfired` (default `'warn'`): see {@link HookOptions}.
 * @returns a {@link Hook} handle; `using` restores it at the end of the scope.
 *
 * @example
 * ```ts
 * import { after } from 'interleave';
 *
 * const db = { count: 0, getCount() { return this.count; }, setCount(n: number) { this.count = n; } };
 * const increment = () => db.setCount(db.getCount() + 1);
 *
 * using hook = after(db, 'getCount', () => increment());
 * increment();
 * console.log(db.count); // 1: the nested increment's write was lost
 * ```
 */
export function after<T extends object, K extends MethodKey<T>>(
  target: T,
  key: K,
  hook: HookFn<ArgsOf<T[K]>, ResultOf<T[K]>>,
  options?: HookOptions<ArgsOf<T[K]>, ResultOf<T[K]>>,
): Hook<ArgsOf<T[K]>, ResultOf<T[K]>> {
  return install('after', after, target, key, hook, options) as Hook<ArgsOf<T[K]>, ResultOf<T[K]>>;
}

function install(
  kind: 'before' | 'after',
  api: Function,
  target: unknown,
  key: unknown,
  hook: unknown,
  options: unknown,
): Hook {
  const valid = validateHookArgs(kind, target, key, hook, options);
  // Where the hook was made, for the message if it never fires. Not for hooks that cannot be
  // reported: explore's `points` make theirs per schedule, and detach them unreported.
  const site = valid.unfired === 'ignore' || isCollecting() ? undefined : captureSite(api);
  const patch = patchFor(target as object, key as PropertyKey, kind);
  return new HookHandle(kind, patch, hook as HookFn, valid, { site });
}

/**
 * Restores every hook that is still installed, putting every patched method back to its
 * original. Safe to call at any time, e.g. in `afterEach`, also when no hook exists.
 *
 * Hooks that never fired are reported as their `unfired` option says. Every hook is restored
 * first; then, if hooks with `unfired: 'throw'` never fired, it throws: their
 * `ERR_HOOK_NEVER_FIRED` error when there is one, an `AggregateError` of them when there are
 * several.
 *
 * @example
 * ```ts
 * import { afterEach } from 'vitest';
 * import { restoreAll } from 'interleave';
 *
 * afterEach(() => {
 *   restoreAll();
 * });
 * ```
 */
export function restoreAll(): void {
  const errors: unknown[] = [];
  const hooks: HookHandle[] = [];
  setForEach(installedHooks, (hook) => arrayPush(hooks, hook));
  for (let i = 0; i < hooks.length; i++) {
    try {
      (hooks[i] as HookHandle).restore();
    } catch (error) {
      arrayPush(errors, error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new AggregateError(
      errors,
      `restoreAll() restored every hook, but ${errors.length} of them (with \`unfired: 'throw'\`) ` +
        `never fired; \`errors\` holds each one's ERR_HOOK_NEVER_FIRED, which says why.`,
    );
  }
}
