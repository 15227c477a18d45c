import { AsyncLocalStorage } from 'node:async_hooks';
import {
  arrayForEach,
  arrayPush,
  objectToString,
  promiseResolve,
  promiseThen,
} from '../internal/intrinsics.ts';
import { isThenable } from '../internal/thenable.ts';

// The collections hold `HookHandle`s: each one adds itself as it is made. They are typed as
// `unknown[]` so that this module does not depend on the handle's.

/**
 * Where new hooks are collected (see `collectHooks`). A synchronous `fn` collects into
 * `syncMade` for the duration of the call (nothing else can run meanwhile). An `async` one
 * collects per async context, so that two explores whose `points` run at the same time each
 * get their own hooks; that storage is enabled only while such a collection runs (on Node 20
 * an enabled `AsyncLocalStorage` slows every promise).
 */
let syncMade: unknown[] | undefined;
/** A non-async `fn` that returned a promise: collected globally until it settles. */
let lingering: unknown[] | undefined;
let collector: AsyncLocalStorage<unknown[]> | undefined;
let collecting = 0;

/** True while explore's `points` run: the hooks made then are detached, never reported. */
export function isCollecting(): boolean {
  return currentCollection() !== undefined;
}

/** Where the hook being created goes, if a collection is running. */
export function currentCollection(): unknown[] | undefined {
  return syncMade ?? (collecting > 0 ? collector?.getStore() : undefined) ?? lingering;
}

/**
 * Runs `fn(arg)` and appends to `made` every hook it created (until the promise it returns
 * settles), also when it throws: how explore finds the hooks its `points` made. Returns a
 * promise only when `fn` did. (A plain function that returns a promise is collected from
 * globally until it settles: write such `points` as an `async function` when explores may run
 * concurrently.)
 */
export function collectHooks<A>(
  made: unknown[],
  fn: (arg: A) => unknown,
  arg: A,
): Promise<void> | undefined {
  const outer = currentCollection();
  const isAsync = objectToString(fn) === '[object AsyncFunction]';
  let storage: AsyncLocalStorage<unknown[]> | undefined;
  if (isAsync) {
    storage = collector ??= new AsyncLocalStorage();
    collecting++;
  }
  const previous = syncMade;
  const done = () => {
    if (storage !== undefined) {
      collecting--;
      if (collecting === 0) storage.disable();
    }
    if (outer !== undefined) arrayForEach(made, (hook) => arrayPush(outer, hook));
  };
  let returned: unknown;
  try {
    if (storage !== undefined) {
      syncMade = undefined;
      returned = storage.run(made, fn, arg);
    } else {
      syncMade = made;
      returned = fn(arg);
    }
  } catch (error) {
    done();
    throw error;
  } finally {
    syncMade = previous;
  }
  if (!isThenable(returned)) {
    done();
    return undefined;
  }
  const outerLingering = lingering;
  if (storage === undefined) lingering = made;
  const settled = () => {
    if (storage === undefined) lingering = outerLingering;
    done();
  };
  return promiseThen(promiseResolve(returned), settled, (error: unknown) => {
    settled();
    throw error;
  });
}
