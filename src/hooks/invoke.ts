import {
  NativePromise,
  objectToString,
  promiseReject,
  promiseResolve,
  promiseThen,
  reflectApply,
  reflectConstruct,
} from '../internal/intrinsics.ts';
import { isThenable } from '../internal/thenable.ts';
import { finish, type Participant, runAftersSync, settleAsync } from './after-hooks.ts';
import { asyncBeforeOnSync } from './async-on-sync.ts';
import { type CallSite, NOT_FIRED, type SiteHook, Takeover } from './call-site.ts';
import { lookLike } from './look-alike.ts';
import { bounded } from './timeout.ts';

/** Bits of the `kinds` mask: which kinds of hook take part in a call. */
const BEFORE = 1;
const AFTER = 2;

/**
 * Builds the function installed in place of the original. Every hook on `site` counts the
 * call and settles what needs no `CallInfo` (see {@link SiteHook.enter}), so a call that no
 * hook takes part in costs little more than a plain call; the rest is in `invoke`.
 *
 * The original may be a built-in that this code uses too (`Array.prototype.push`,
 * `Reflect.apply`, `Promise.prototype.then`): every built-in here is the one captured at
 * load time (`internal/intrinsics.ts`), and arrays are looped over by index, so that none
 * of our own calls reaches a wrapper.
 */
export function createWrapper(site: CallSite, original: Function): Function {
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const fn = site.constantOriginal ?? site.resolve(this);
    // TypeScript types `new.target` as undefined in a function expression; at run time a
    // hooked constructor called with `new` has it set, and must construct the original.
    const newTarget =
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      new.target === undefined ? undefined : new.target === wrapper ? fn : new.target;
    const hooks = site.hooks;
    let participants: Participant[] | undefined;
    let kinds = 0;
    for (let i = 0; i < hooks.length; i++) {
      const hook = hooks[i] as SiteHook;
      const index = hook.enter();
      if (index === 0) continue;
      participants ??= [];
      participants[participants.length] = { hook, index };
      kinds |= hook.kind === 'before' ? BEFORE : AFTER;
    }
    if (participants !== undefined) return invoke(participants, kinds, fn, this, args, newTarget);
    return newTarget === undefined
      ? reflectApply(fn, this, args)
      : reflectConstruct(fn, args, newTarget);
  };
  lookLike(wrapper, original);
  return wrapper;
}

function callOriginal(
  fn: Function,
  thisArg: unknown,
  args: unknown[],
  newTarget: Function | undefined,
): unknown {
  return newTarget === undefined
    ? reflectApply(fn, thisArg, args)
    : reflectConstruct(fn, args, newTarget);
}

/** Runs a call that at least one hook takes part in. */
function invoke(
  participants: Participant[],
  kinds: number,
  fn: Function,
  thisArg: unknown,
  args: unknown[],
  newTarget: Function | undefined,
): unknown {
  const befores = (kinds & BEFORE) !== 0;
  const afters = (kinds & AFTER) !== 0;
  let pending: AsyncBefore | TakenOver | undefined;
  try {
    pending = befores ? runBefores(participants, 0, thisArg, args) : undefined;
  } catch (error) {
    // An `async function` promises its callers a rejection, never a synchronous throw.
    if (isAsyncFunction(fn)) return promiseReject(error);
    throw error;
  }
  if (pending !== undefined && 'takeover' in pending) {
    const { takeover, at } = pending;
    takeover.start(() => proceedAfter(participants, at, fn, thisArg, args, newTarget));
    return takeover.returns;
  }
  if (pending !== undefined) {
    const { hook } = pending;
    return promiseThen(pending.done, () => {
      let result: unknown;
      try {
        result = callOriginal(fn, thisArg, args, newTarget);
      } catch (error) {
        observe(participants, args, false, error);
        // The caller already holds a promise, so after hooks may be awaited here.
        return afters
          ? settleAsync(participants, thisArg, args, promiseReject(error))
          : promiseReject(error);
      }
      if (!isThenable(result)) {
        const error = asyncBeforeOnSync(hook, fn, result);
        if (hook.onMisuse === undefined) throw error;
        // The API reports it (explore fails with it); a caller that ignores the promise, as
        // callers of a synchronous method do, must not get an unhandled rejection.
        hook.onMisuse(error);
        return new NativePromise(() => undefined);
      }
      // Subscribed to once: a lazy thenable (a query builder) runs its work on every `then`.
      const promise = promiseResolve(result);
      observe(participants, args, true, promise);
      return afters ? settleAsync(participants, thisArg, args, promise) : promise;
    });
  }
  if (!afters) return callOriginal(fn, thisArg, args, newTarget);
  let result: unknown;
  try {
    result = callOriginal(fn, thisArg, args, newTarget);
  } catch (error) {
    return finish(runAftersSync(participants, thisArg, args, { ok: false, error }, fn));
  }
  if (isThenable(result)) return settleAsync(participants, thisArg, args, result);
  return finish(runAftersSync(participants, thisArg, args, { ok: true, value: result }, fn));
}

/**
 * Tells the hooks that observe outcomes (those of `yieldAt`) how the original answered: its
 * promise, or what it threw synchronously.
 */
function observe(
  participants: readonly Participant[],
  args: unknown[],
  ok: boolean,
  outcome: unknown,
): void {
  for (let i = 0; i < participants.length; i++) {
    (participants[i] as Participant).hook.observe?.(args, ok, outcome);
  }
}

/** The first `before` hook that returned a promise, and the end of the remaining befores. */
interface AsyncBefore {
  readonly hook: SiteHook;
  readonly done: Promise<unknown>;
}

/** A `before` hook took the call over (see {@link Takeover}); the rest starts after `at`. */
interface TakenOver {
  readonly takeover: Takeover;
  readonly at: number;
}

/**
 * Runs the `before` hooks of `participants[from]` on. Returns undefined when all ran
 * synchronously; when one returned a thenable, that hook and a promise for the rest (run
 * after it settles); when one took the call over, that takeover.
 */
function runBefores(
  participants: Participant[],
  from: number,
  thisArg: unknown,
  args: unknown[],
): AsyncBefore | TakenOver | undefined {
  for (let i = from; i < participants.length; i++) {
    const { hook, index } = participants[i] as Participant;
    if (hook.kind !== 'before') continue;
    const returned = hook.consider({ args, thisArg, index });
    if (returned instanceof Takeover) return { takeover: returned, at: i };
    if (returned !== NOT_FIRED && isThenable(returned)) {
      const promise = bounded(hook, index, returned);
      // The common case, one waiting hook: wait for it alone (every hop costs a microtask).
      const done = beforeHookFollows(participants, i)
        ? promiseThen(promise, () => afterWaiting(runBefores(participants, i + 1, thisArg, args)))
        : promise;
      return { hook, done };
    }
  }
  return undefined;
}

/**
 * The rest of a call taken over by the hook of `participants[at]`: the hooks after it, then
 * the original. Returns what the call would have returned from there (a promise when a later
 * hook waits).
 */
function proceedAfter(
  participants: Participant[],
  at: number,
  fn: Function,
  thisArg: unknown,
  args: unknown[],
  newTarget: Function | undefined,
): unknown {
  const rest: Participant[] = [];
  let kinds = 0;
  for (let i = at + 1; i < participants.length; i++) {
    const participant = participants[i] as Participant;
    rest[rest.length] = participant;
    kinds |= participant.hook.kind === 'before' ? BEFORE : AFTER;
  }
  if (rest.length === 0) return callOriginal(fn, thisArg, args, newTarget);
  return invoke(rest, kinds, fn, thisArg, args, newTarget);
}

/**
 * What a call whose first `before` hook waited still waits for: the later hooks' promise, or,
 * when a later hook took the call over (its caller already holds a promise), until that hook
 * lets it proceed; the original is then called as usual.
 */
function afterWaiting(next: AsyncBefore | TakenOver | undefined): unknown {
  if (next === undefined) return undefined;
  if ('done' in next) return next.done;
  return new NativePromise((resolve) => {
    next.takeover.start(() => {
      resolve(undefined);
      return undefined;
    });
  });
}

function beforeHookFollows(participants: Participant[], index: number): boolean {
  for (let i = index + 1; i < participants.length; i++) {
    if (participants[i]?.hook.kind === 'before') return true;
  }
  return false;
}

function isAsyncFunction(fn: Function): boolean {
  return objectToString(fn) === '[object AsyncFunction]';
}
