/**
 * What a hook (and its `when` filter) learns about one call of the hooked function.
 *
 * @example
 * ```ts
 * import { after, type CallInfo } from 'interleave';
 *
 * const api = { async load(id: number) { return { id }; } };
 * after(api, 'load', (call: CallInfo) => {
 *   console.log(call.index, call.args, call.result); // 1 [7] { id: 7 }
 * });
 * await api.load(7);
 * ```
 */
export interface CallInfo<Args extends unknown[] = unknown[], Result = unknown> {
  /** The arguments the caller passed (the same array the original receives). */
  readonly args: Args;
  /** The `this` of the call (the instance for a method call). */
  readonly thisArg: unknown;
  /** 1-based count of the calls this hook has seen, this one included. */
  readonly index: number;
  /** `after` only: what the original returned (for a promise, the value it fulfilled with). */
  readonly result?: Result;
  /** `after` only: what the original threw (for a promise, the reason it rejected with). */
  readonly error?: unknown;
}

/**
 * The function a hook runs. It may return a promise, which the call then waits for
 * (only when the hooked function is itself asynchronous).
 *
 * @example
 * ```ts
 * import type { HookFn } from 'interleave';
 *
 * const logCall: HookFn = (call) => {
 *   console.log('call', call.index, 'with', call.args);
 * };
 * ```
 */
export type HookFn<Args extends unknown[] = unknown[], Result = unknown> = (
  call: CallInfo<Args, Result>,
) => unknown;

/**
 * Options of {@link before} and {@link after}.
 *
 * @example
 * ```ts
 * import { after } from 'interleave';
 *
 * const db = { async getCount(table: string) { return table.length; } };
 * // Fire on the 2nd and 3rd call that reads `orders`, then disarm.
 * after(db, 'getCount', () => {}, {
 *   when: (call) => call.args[0] === 'orders',
 *   skip: 1,
 *   times: 2,
 *   timeout: 5000, // an async hook may take up to 5 s (default 1 s)
 *   unfired: 'throw', // restoring it before it fired throws ERR_HOOK_NEVER_FIRED
 * });
 * ```
 */
export interface HookOptions<Args extends unknown[] = unknown[], Result = unknown> {
  /** How many times the hook fires before it disarms itself. Default 1; `Infinity` = every call. */
  times?: number;
  /** Only calls for which this returns true match (it sees the same `CallInfo` as the hook). */
  when?: (call: CallInfo<Args, Result>) => boolean;
  /**
   * Let the first N matching calls through before the hook fires. Default 0. Without `when`
   * the first N calls in call order are let through; with `when`, a call counts once `when`
   * accepted it (for `after`, when the call settles).
   */
  skip?: number;
  /**
   * How long (ms) the call waits for a promise the hook returned before it fails with
   * `ERR_HOOK_TIMEOUT` instead of waiting forever. Default 1000. A hook that waits for
   * something the call it interrupted holds (a row lock, a transaction) would otherwise hang.
   * `Infinity` waits as long as it takes (for a hook that waits for a gate the test opens).
   */
  timeout?: number;
  /**
   * What happens when the hook is restored (`restore()`, `using`, `restoreAll()`) without ever
   * having fired: `'warn'` (default) emits a process warning (`INTERLEAVE_HOOK_NEVER_FIRED`),
   * `'throw'` makes the restore throw `ERR_HOOK_NEVER_FIRED`, `'ignore'` says nothing.
   */
  unfired?: 'warn' | 'throw' | 'ignore';
}

/**
 * A handle on one installed hook. Disposable: `using h = after(...)` restores it at the end
 * of the scope.
 *
 * @example
 * ```ts
 * import { after } from 'interleave';
 *
 * const db = { getCount: () => 0 };
 * const hook = after(db, 'getCount', () => {});
 * db.getCount();
 * console.log(hook.fired, hook.calls, hook.active); // 1 1 false
 * hook.restore(); // idempotent
 * ```
 */
export interface Hook<Args extends unknown[] = unknown[], Result = unknown> extends Disposable {
  /** How many times the hook has run. */
  readonly fired: number;
  /** How many calls went through the method while the hook was installed (fired or not). */
  readonly calls: number;
  /** True until the hook has fired `times` times or was restored. */
  readonly active: boolean;
  /**
   * Resolves with the `CallInfo` of the first call the hook fires on. Rejects with
   * `ERR_HOOK_RESTORED` if the hook is restored before it ever fired, and with
   * `ERR_HOOK_TIMEOUT` if it has not fired within the hook's `timeout` (default 1000 ms,
   * counted from when `triggered` is first read; `Infinity` for no bound).
   */
  readonly triggered: Promise<CallInfo<Args, Result>>;
  /**
   * Removes the hook; the method is back to its original once no hook is left on it. When the
   * hook never fired, what happens depends on `options.unfired` (a warning by default).
   */
  restore(): void;
}

/**
 * The names of `T`'s function-valued properties: what {@link before} and {@link after} accept
 * as `key`, so a misspelt method name fails to compile.
 *
 * @example
 * ```ts
 * import type { MethodKey } from 'interleave';
 *
 * type DbMethods = MethodKey<{ count: number; getCount(): number }>; // 'getCount'
 * ```
 */
export type MethodKey<T> = {
  [P in keyof T]-?: T[P] extends
    ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown)
    ? P
    : never;
}[keyof T] &
  (string | symbol);

/**
 * The parameter list of a hooked function (or constructor), as its `CallInfo.args`.
 *
 * @example
 * ```ts
 * import type { ArgsOf } from 'interleave';
 *
 * type A = ArgsOf<(id: number, name: string) => void>; // [id: number, name: string]
 * ```
 */
export type ArgsOf<F> = F extends (...args: infer A) => unknown
  ? A
  : F extends abstract new (...args: infer A) => unknown
    ? A
    : unknown[];

/**
 * What an `after` hook sees as `CallInfo.result`: the return value, awaited (a promise's
 * value is what the hook gets), or the instance for a constructor.
 *
 * @example
 * ```ts
 * import type { ResultOf } from 'interleave';
 *
 * type R = ResultOf<() => Promise<number>>; // number
 * ```
 */
export type ResultOf<F> = F extends (...args: never[]) => infer R
  ? Awaited<R>
  : F extends abstract new (...args: never[]) => infer R
    ? R
    : unknown;
