import type { InterleaveError } from '../errors.ts';
import type { Takeover } from '../hooks/call-site.ts';
import { HookHandle } from '../hooks/hook-handle.ts';
import { patchFor } from '../hooks/patch.ts';
import type { ArgsOf, CallInfo, Hook, MethodKey, ResultOf } from '../hooks/types.ts';
import { validateHookArgs } from '../hooks/validate.ts';
import { boolean, fn, optional, parseOptions, string } from '../internal/options.ts';
import { type DeferMode, deferHere } from './deferred-point.ts';
import {
  currentTask,
  type Point,
  pointOutsideTasks,
  type Scheduler,
} from './engine/task-context.ts';
import type { YieldAtOptions } from './types.ts';

/** A call parked at a point, and the scheduler that will hear how it answered. */
interface ParkedCall {
  readonly point: Point;
  readonly scheduler: Scheduler;
}

/** Each parked call, by the call's `args` array (what `observe` is given). */
const parkedCalls = new WeakMap<readonly unknown[], ParkedCall>();

const SYNC_ADVICE =
  'yieldAt() without `callback` or `defer` needs a method that returns a promise, because the caller must ' +
  'wait while the scheduler runs other tasks. For a method that takes a callback last ' +
  '(`fs.stat(path, cb)`), pass `{ callback: true }`; for a method whose return value the ' +
  "caller does not use (`emitter.emit('x')`), pass `{ defer: true }`; or put " +
  '`await checkpoint(...)` in the calling code.';

/**
 * Makes every call of `target[key]` inside an {@link explore} task a scheduling point: the
 * task parks before the call and the scheduler decides who runs next. The trace records the
 * call's arguments and result. Calls outside explore's tasks are untouched. The method must
 * return a promise (`ERR_ASYNC_HOOK_ON_SYNC_FUNCTION` otherwise). Hooks made in `points` are
 * restored after every schedule; elsewhere, restore the returned {@link Hook}.
 *
 * @param target - the object that holds the method (an instance, `Class.prototype`, ...).
 * @param key - the method's name.
 * @param options - `label` for the trace (default: the method's name), `when` to filter calls.
 *
 * @example
 * ```ts
 * import { explore, yieldAt } from 'interleave';
 *
 * const db = { count: 0, async getCount() { return this.count; }, async setCount(n: number) { this.count = n; } };
 * await explore({
 *   setup: () => { db.count = 0; },
 *   points: () => { yieldAt(db, 'getCount'); yieldAt(db, 'setCount'); },
 *   tasks: [async () => db.setCount((await db.getCount()) + 1), async () => db.setCount((await db.getCount()) + 1)],
 *   check: () => { if (db.count !== 2) throw new Error(`lost update: count is ${db.count}`); },
 * }); // rejects with a RaceError whose table shows both reads before both writes
 * ```
 */
export function yieldAt<T extends object, K extends MethodKey<T>>(
  target: T,
  key: K,
  options?: YieldAtOptions,
): Hook<ArgsOf<T[K]>, ResultOf<T[K]>> {
  const { label, when, mode } = validateYieldAtOptions(options, key);
  validateHookArgs('yieldAt', target, key, parkHere, undefined);
  const park =
    mode === undefined
      ? (call: CallInfo): Promise<void> | undefined => parkHere(call, label, target, key)
      : (call: CallInfo): Takeover | undefined => deferHere(call, label, target, key, mode);
  const settings = {
    times: Infinity,
    skip: 0,
    when,
    // A parked call waits for explore's scheduler, which has its own step timeouts.
    timeout: Infinity,
    // A point outside explore's tasks, or in a schedule that never reaches it, is normal.
    unfired: 'ignore',
  } as const;
  const parking = new HookHandle('before', patchFor(target, key, 'yieldAt'), park, settings, {
    api: 'yieldAt',
    // The parking hook never calls out: no reentrancy to track.
    guarded: false,
    syncAdvice: SYNC_ADVICE,
    onMisuse: (error: InterleaveError) => {
      currentTask()?.scheduler.abort(error);
    },
    observe: handOver,
  });
  return new YieldAtHook(parking) as unknown as Hook<ArgsOf<T[K]>, ResultOf<T[K]>>;
}

function parkHere(
  call: CallInfo,
  label: string,
  target: object,
  key: PropertyKey,
): Promise<void> | undefined {
  const context = currentTask();
  if (context === undefined) {
    pointOutsideTasks();
    return undefined;
  }
  // A second yieldAt on the same method already parked this very call.
  if (parkedCalls.has(call.args)) return undefined;
  const point: Point = { label, args: call.args, target, key };
  const { scheduler } = context;
  parkedCalls.set(call.args, { point, scheduler });
  return scheduler.park(context.task, point);
}

/**
 * Hands how a parked call answered (its promise, or what it threw at once) to the scheduler,
 * which writes it into the trace step the call started.
 */
function handOver(args: unknown[], ok: boolean, outcome: unknown): void {
  const parked = parkedCalls.get(args);
  if (parked === undefined) return;
  parkedCalls.delete(args);
  const { point, scheduler } = parked;
  if (!ok) {
    scheduler.outcome(point, false, outcome);
    return;
  }
  (outcome as Promise<unknown>).then(
    (value) => {
      scheduler.outcome(point, true, value);
    },
    (error: unknown) => {
      scheduler.outcome(point, false, error);
    },
  );
}

/** The {@link Hook} of a `yieldAt`: a view of its parking hook. */
class YieldAtHook implements Hook {
  readonly #parking: HookHandle;

  constructor(parking: HookHandle) {
    this.#parking = parking;
  }

  get fired(): number {
    return this.#parking.fired;
  }

  get calls(): number {
    return this.#parking.calls;
  }

  get active(): boolean {
    return this.#parking.active;
  }

  get triggered(): Promise<CallInfo> {
    return this.#parking.triggered;
  }

  restore(): void {
    this.#parking.restore();
  }

  [Symbol.dispose](): void {
    this.restore();
  }
}

const SCHEMA = {
  label: optional(
    string(
      'a non-empty string naming the point in the trace',
      "Leave it out to use the method's name.",
      true,
    ),
  ),
  when: optional(
    fn<(call: CallInfo) => boolean>(
      'a function (call) => boolean',
      'Leave it out to make every call a scheduling point.',
    ),
  ),
  callback: boolean(
    false,
    'Pass `callback: true` for a method that takes a callback last (`fs.stat(path, cb)`); leave it out otherwise.',
  ),
  defer: boolean(
    false,
    'Pass `defer: true` for a synchronous method whose return value the caller does not use (`emitter.emit`); leave it out otherwise.',
  ),
};

function validateYieldAtOptions(
  options: unknown,
  key: unknown,
): {
  label: string;
  when: ((call: CallInfo) => boolean) | undefined;
  mode: DeferMode | undefined;
} {
  const fallback = typeof key === 'string' ? key : typeof key === 'symbol' ? key.toString() : '';
  if (options === undefined) return { label: fallback, when: undefined, mode: undefined };
  const {
    label = fallback,
    when,
    callback,
    defer,
  } = parseOptions(
    options,
    {
      api: 'yieldAt',
      name: 'options',
      position: 'the third argument',
      example: "{ label: 'read' }",
      noun: 'option',
      optional: true,
    },
    SCHEMA,
  );
  // A callback API's call is deferred too: `callback` says more than `defer`.
  const mode = callback ? 'callback' : defer ? 'defer' : undefined;
  return { label, when, mode };
}
