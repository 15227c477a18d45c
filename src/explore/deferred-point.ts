import { AsyncResource } from 'node:async_hooks';
import { Takeover } from '../hooks/call-site.ts';
import type { CallInfo } from '../hooks/types.ts';
import { isThenable } from '../internal/thenable.ts';
import {
  currentTask,
  type Point,
  pointOutsideTasks,
  type Scheduler,
} from './engine/task-context.ts';

/**
 * The scheduling points of `yieldAt` calls that the caller does not wait for: a callback API
 * (`callback: true`: `fs.stat(path, cb)`) and any synchronous method whose return value is
 * not used (`defer: true`: `emitter.emit(...)`). The call returns at once; the scheduler makes
 * it when it grants the point. With `callback`, the callback's invocation is a second point
 * (`<label> callback`), and the arguments it was called with are the call's result in the
 * trace. A task is not finished while such a call or callback of it is still to run.
 */

/** How `yieldAt` takes a call over: `defer` (the call only) or `callback` (the call and its callback). */
export type DeferMode = 'defer' | 'callback';

/** The calls already deferred, by their `args` array (a second `yieldAt` on the method passes). */
const deferredCalls = new WeakSet<readonly unknown[]>();

/**
 * The `yieldAt` hook for a deferred call: in a task, a {@link Takeover} that parks the task at
 * the call's point and makes the call when granted; outside every task, nothing (the call
 * passes through, and is counted as a point outside tasks).
 */
export function deferHere(
  call: CallInfo,
  label: string,
  target: object,
  key: PropertyKey,
  mode: DeferMode,
): Takeover | undefined {
  const context = currentTask();
  if (context === undefined) {
    pointOutsideTasks();
    return undefined;
  }
  const args = call.args;
  if (deferredCalls.has(args)) return undefined;
  deferredCalls.add(args);
  const { scheduler, task } = context;
  const last = args.length - 1;
  const callback = mode === 'callback' && last >= 0 ? args[last] : undefined;
  if (typeof callback !== 'function') {
    // No callback on this call (`socket.write(data)`): the call alone is the point.
    const point: Point = { label, args: args.slice(), target, key };
    return new Takeover(returnsAtOnce(call, key), (proceed) => {
      deferCall(scheduler, task, point, proceed);
    });
  }
  const point: Point = { label, args: args.slice(0, last), target, key };
  // The call's callback is still to come: the task is unfinished until it has run.
  const callbackCame = scheduler.hold(task);
  const invoked = bindCallback(scheduler, task, point, callback, callbackCame);
  return new Takeover(undefined, (proceed) => {
    const makeCall = () => {
      args[last] = invoked;
      try {
        proceed();
      } catch (error) {
        scheduler.outcome(point, false, error);
        callbackCame();
        throw error;
      }
    };
    // The step goes on until the callback comes (its I/O is part of the step).
    scheduler.defer(task, point, makeCall, false);
  });
}

/**
 * Parks the task at the call's point and makes the call when granted; its return value
 * (awaited, if a promise) or what it threw is the step's result.
 */
function deferCall(scheduler: Scheduler, task: number, point: Point, proceed: () => unknown): void {
  const makeCall = () => {
    let returned: unknown;
    try {
      returned = proceed();
    } catch (error) {
      scheduler.outcome(point, false, error);
      throw error;
    }
    if (!isThenable(returned)) {
      scheduler.outcome(point, true, returned);
      return;
    }
    Promise.resolve(returned).then(
      (value) => {
        scheduler.outcome(point, true, value);
      },
      (error: unknown) => {
        scheduler.outcome(point, false, error);
      },
    );
  };
  // The step goes on until the task parks or settles: I/O the call starts is part of it.
  scheduler.defer(task, point, makeCall, false);
}

/**
 * The callback handed to the original in place of the caller's: each invocation parks the
 * task at `<label> callback`, and the caller's callback runs when that point is granted, in
 * the task's async context (whatever context the library calls back from). The first
 * invocation's arguments are the call's result.
 */
function bindCallback(
  scheduler: Scheduler,
  task: number,
  point: Point,
  callback: Function,
  callbackCame: () => void,
): Function {
  const label = `${point.label} callback`;
  let first = true;
  return AsyncResource.bind(function (this: unknown, ...values: unknown[]): void {
    if (first) {
      first = false;
      scheduler.outcome(point, true, values);
    }
    scheduler.defer(task, { label }, Reflect.apply.bind(Reflect, callback, this, values), true);
    // The callback's own point now keeps the task unfinished.
    callbackCame();
  });
}

/**
 * What a deferred call returns to its caller at once: for `emit` on an event emitter, whether
 * the event has listeners (as `emit` would say); otherwise `undefined`.
 */
function returnsAtOnce(call: CallInfo, key: PropertyKey): unknown {
  const thisArg = call.thisArg as { listenerCount?: unknown } | null | undefined;
  if (key === 'emit' && typeof thisArg?.listenerCount === 'function' && call.args.length > 0) {
    const count: unknown = Reflect.apply(thisArg.listenerCount, thisArg, [call.args[0]]);
    return typeof count === 'number' ? count > 0 : undefined;
  }
  return undefined;
}
