import { AsyncLocalStorage } from 'node:async_hooks';
import { arrayFilter, arrayPush, promiseResolve, promiseThen } from '../internal/intrinsics.ts';
import { isThenable } from '../internal/thenable.ts';

/** One running invocation of a hook; `done` once it has returned or settled. */
interface Invocation {
  readonly hook: object;
  done: boolean;
}

/**
 * Tracks which multi-shot hooks are running in the current async context, so that calls a
 * hook makes (also after its awaits) pass through that hook instead of recursing. Work the
 * hook started but did not wait for (a timer, a detached promise) keeps the context, but
 * once the invocation is done its calls are ordinary calls again.
 *
 * `AsyncLocalStorage` turns on promise hooks for the whole process on Node 20 and slows
 * every `await`, so the storage is enabled only while at least one such hook runs and is
 * disabled again when the last one settles. Single-shot hooks never need it: they disarm
 * before they run.
 */
let storage: AsyncLocalStorage<readonly Invocation[]> | undefined;
let running = 0;

/** True when `hook` is running in the current async context (cheap when nothing runs). */
export function isRunningHere(hook: object): boolean {
  if (running === 0 || storage === undefined) return false;
  const store = storage.getStore();
  if (store === undefined) return false;
  for (let i = 0; i < store.length; i++) {
    const invocation = store[i] as Invocation;
    if (invocation.hook === hook && !invocation.done) return true;
  }
  return false;
}

/**
 * Runs `fn(arg)` marked as `hook` running. If it returns a thenable, the mark lasts until it
 * settles and the result is a native promise with the same outcome.
 */
export function runMarked<A>(hook: object, fn: (arg: A) => unknown, arg: A): unknown {
  storage ??= new AsyncLocalStorage();
  const store = storage;
  const outer = running > 0 ? arrayFilter(store.getStore() ?? [], (i) => !i.done) : [];
  const invocation: Invocation = { hook, done: false };
  const finished = () => {
    invocation.done = true;
    running--;
    if (running === 0) store.disable();
  };
  running++;
  let result: unknown;
  try {
    arrayPush(outer, invocation);
    result = store.run(outer, fn, arg);
  } catch (error) {
    finished();
    throw error;
  }
  if (isThenable(result)) {
    return promiseThen(
      promiseResolve(result),
      (value) => {
        finished();
        return value;
      },
      (error: unknown) => {
        finished();
        throw error;
      },
    );
  }
  finished();
  return result;
}
