import { syncBuiltinESMExports } from 'node:module';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';
import { makingOwnTimer, realTimers } from '../../internal/real-timers.ts';
import { installSocketTimers, uninstallSocketTimers } from './socket-timers.ts';
import { currentTask } from './task-context.ts';
import { VirtualTimeout, virtualTimerById } from './virtual-timers.ts';

/**
 * Counts the timers and immediates pending in the process that were made while an `explore`
 * runs, so that a wait can tell a task waiting on a timer (it may still be woken) from one
 * waiting on a promise only another parked task could settle (it cannot).
 *
 * While at least one `explore` runs, `setTimeout`, `setInterval`, `setImmediate`, their
 * `clear*` forms (on `globalThis` and `node:timers`, named imports included) and
 * `setTimeout` / `setImmediate` of `node:timers/promises` are replaced by wrappers that call
 * the real ones and keep count; what was there before (a test's fake timers included) is back
 * when the last `explore` ends. While explore runs, its wrappers stand in for such fakes.
 * Interleave's own waits use the real functions ({@link realTimers}) and are not counted.
 */

const pending = new Set<object>();
let promised = 0;
let installed = 0;
/** Which installation a promised timer belongs to: one made before an uninstall is not counted. */
let generation = 0;

/** Timers, intervals and immediates made while explore ran and not yet fired or cleared. */
export function pendingTimers(): number {
  return pending.size + promised;
}

type Callback = (...args: unknown[]) => unknown;

/** Replaces the timer functions with counting ones (nested calls count; see `uninstall`). */
export function installTimerCensus(): void {
  if (installed++ > 0) return;
  saved = current();
  replace(COUNTING, COUNTING, PROMISES_COUNTING);
  installSocketTimers();
}

/**
 * Puts back what was there before the first `installTimerCensus` (a test's fake timers
 * included) once every one has been undone.
 */
export function uninstallTimerCensus(): void {
  if (--installed > 0) return;
  const before = saved ?? { global: realTimers, module: realTimers, promises: PROMISES_REAL };
  replace(before.global, before.module, before.promises);
  saved = undefined;
  uninstallSocketTimers();
  pending.clear();
  promised = 0;
  generation++;
}

const PROMISES_REAL = {
  setTimeout: timersPromises.setTimeout,
  setImmediate: timersPromises.setImmediate,
};

const TIMER_KEYS = Object.keys(realTimers) as (keyof typeof realTimers)[];

type TimerFunctions = Record<keyof typeof realTimers, unknown>;
type PromiseTimers = Record<keyof typeof PROMISES_REAL, unknown>;

/** The timer functions in place before the census went in: what goes back when it goes. */
let saved: { global: TimerFunctions; module: TimerFunctions; promises: PromiseTimers } | undefined;

function current(): NonNullable<typeof saved> {
  const global = globalThis as unknown as TimerFunctions;
  const module = timers as unknown as TimerFunctions;
  const promises = timersPromises as unknown as PromiseTimers;
  const pick = <K extends string>(from: Record<K, unknown>, keys: readonly K[]) =>
    Object.fromEntries(keys.map((key) => [key, from[key]])) as Record<K, unknown>;
  return {
    global: pick(global, TIMER_KEYS),
    module: pick(module, TIMER_KEYS),
    promises: pick(promises, ['setTimeout', 'setImmediate'] as const),
  };
}

function replace(
  onGlobal: TimerFunctions,
  onModule: TimerFunctions,
  promises: PromiseTimers,
): void {
  const global = globalThis as unknown as Record<string, unknown>;
  const module = timers as unknown as Record<string, unknown>;
  for (const key of TIMER_KEYS) {
    global[key] = onGlobal[key];
    module[key] = onModule[key];
  }
  const promisesModule = timersPromises as unknown as Record<string, unknown>;
  promisesModule.setTimeout = promises.setTimeout;
  promisesModule.setImmediate = promises.setImmediate;
  // Named imports of node:timers (`import { setTimeout } from 'node:timers'`) follow.
  syncBuiltinESMExports();
}

/** A one-shot timer or immediate made by `make`, counted until it fires or is cleared. */
function counted(make: Callback, callback: unknown, rest: unknown[]): unknown {
  if (typeof callback !== 'function') return make(callback, ...rest);
  const fn = callback as Callback;
  const timer = make(
    function (this: unknown, ...args: unknown[]) {
      pending.delete(timer);
      return fn.apply(this, args);
    },
    ...rest,
  ) as object;
  pending.add(timer);
  return timer;
}

/** Clears `timer` (an object, or the number its `Symbol.toPrimitive` gives) and uncounts it. */
function uncount(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null) {
    pending.delete(timer);
    return;
  }
  if (timer === undefined || timer === null) return;
  for (const candidate of pending) {
    if (Number(candidate) === Number(timer)) pending.delete(candidate);
  }
}

/** A counting `setTimeout` or `setImmediate` (on the virtual clock in a task: `setTimeout`). */
function oneShot(name: 'setTimeout' | 'setImmediate'): Callback {
  const original = realTimers[name];
  const counting = {
    [name](callback: unknown, ...rest: unknown[]) {
      if (name === 'setTimeout') {
        const virtual = onVirtualClock(callback, rest, false);
        if (virtual !== undefined) return virtual;
      }
      return counted(original as Callback, callback, rest);
    },
  }[name] as Callback;
  return counting;
}

/**
 * A timer a task makes while its schedule runs on virtual time: on the schedule's clock
 * (`VirtualTimers`) instead of the wall clock. Undefined when it is a real timer, and for
 * interleave's own timeouts (`ownTimeout`).
 */
function onVirtualClock(
  callback: unknown,
  rest: unknown[],
  repeat: boolean,
): VirtualTimeout | undefined {
  if (typeof callback !== 'function' || makingOwnTimer()) return undefined;
  const context = currentTask();
  const clock = context?.scheduler.clock();
  if (context === undefined || clock === undefined) return undefined;
  return clock.add(context.task, callback, rest[0], rest.slice(1), repeat);
}

/** A timer given to a `clear*` function: a virtual one is cleared on its clock. */
function clearedVirtual(timer: unknown): boolean {
  const virtual =
    timer instanceof VirtualTimeout
      ? timer
      : typeof timer === 'number' || typeof timer === 'string'
        ? virtualTimerById(Number(timer))
        : undefined;
  if (virtual === undefined) return false;
  virtual.clock.clear(virtual);
  return true;
}

const COUNTING = {
  setTimeout: oneShot('setTimeout'),
  clearTimeout(timer: unknown) {
    if (clearedVirtual(timer)) return;
    uncount(timer);
    realTimers.clearTimeout(timer as Parameters<typeof clearTimeout>[0]);
  },
  setInterval(callback: unknown, ...rest: unknown[]) {
    const virtual = onVirtualClock(callback, rest, true);
    if (virtual !== undefined) return virtual;
    // Counted until cleared: it keeps firing.
    const timer = (realTimers.setInterval as Callback)(callback, ...rest) as object;
    pending.add(timer);
    return timer;
  },
  clearInterval(timer: unknown) {
    if (clearedVirtual(timer)) return;
    uncount(timer);
    realTimers.clearInterval(timer as Parameters<typeof clearInterval>[0]);
  },
  setImmediate: oneShot('setImmediate'),
  clearImmediate(immediate: unknown) {
    uncount(immediate);
    realTimers.clearImmediate(immediate as Parameters<typeof clearImmediate>[0]);
  },
};

/** A promise-returning timer, counted until it settles. */
function countedPromise(make: Callback): Callback {
  return (...args: unknown[]) => {
    promised++;
    const made = generation;
    const settled = () => {
      if (made === generation) promised--;
    };
    const promise = make(...args) as Promise<unknown>;
    promise.then(settled, settled);
    return promise;
  };
}

const PROMISES_COUNTING = {
  setTimeout: virtualOr(countedPromise(PROMISES_REAL.setTimeout as Callback)),
  setImmediate: countedPromise(PROMISES_REAL.setImmediate as Callback),
};

// `util.promisify(setTimeout)` gives the promise form: on the virtual clock in a task too.
for (const name of ['setTimeout', 'setImmediate'] as const) {
  Object.defineProperty(COUNTING[name], promisify.custom, {
    value: PROMISES_COUNTING[name],
    configurable: true,
  });
}

/**
 * `node:timers/promises` `setTimeout(delay, value, { signal })`: in a task on virtual time, a
 * promise of a virtual timer (rejected with an `AbortError` when `signal` aborts, as Node's);
 * otherwise `real`.
 */
function virtualOr(real: Callback): Callback {
  return (...args: unknown[]) => {
    const context = currentTask();
    const clock = context?.scheduler.clock();
    if (context === undefined || clock === undefined) return real(...args);
    const [delay, value, options] = args;
    const signal = (options as { signal?: AbortSignal } | undefined)?.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortError(signal));
        return;
      }
      const onAbort = () => {
        clock.clear(timer);
        reject(abortError(signal as AbortSignal));
      };
      const timer = clock.add(
        context.task,
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        delay,
        [],
        false,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
}

/** The error Node's promise timers reject with when their signal aborts. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}
