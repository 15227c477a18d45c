import type { StrategyName } from './strategies/registry.ts';

export type { StrategyName };

/**
 * What {@link explore} runs: the same tasks under many schedules. Each schedule gets a fresh
 * context from `setup`, installs `points`, runs the tasks under the scheduler, then `check`
 * and `teardown`.
 *
 * @example
 * ```ts
 * import { explore, yieldAt, type ExploreSpec } from 'interleave';
 *
 * const spec: ExploreSpec<{ count: number; db: { get(): Promise<number>; set(n: number): Promise<void> } }> = {
 *   setup: () => {
 *     const ctx = { count: 0, db: { get: async () => ctx.count, set: async (n: number) => { ctx.count = n; } } };
 *     return ctx;
 *   },
 *   points: (ctx) => { yieldAt(ctx.db, 'get'); yieldAt(ctx.db, 'set'); },
 *   tasks: [
 *     async (ctx) => ctx.db.set((await ctx.db.get()) + 1),
 *     async (ctx) => ctx.db.set((await ctx.db.get()) + 1),
 *   ],
 *   check: (ctx) => { if (ctx.count !== 2) throw new Error(`count is ${ctx.count}, expected 2`); },
 * };
 * await explore(spec); // rejects with a RaceError: the lost update
 * ```
 */
export interface ExploreSpec<C = undefined> {
  /** Builds a fresh context for each schedule (connections, objects under test). */
  setup?: () => C | Promise<C>;
  /** Cleans up after each schedule, failed or not (close connections). */
  teardown?: (ctx: C) => unknown;
  /** The concurrent tasks: each receives the context; their results go to `check`. */
  tasks: readonly ((ctx: C) => unknown)[];
  /**
   * Installs scheduling points, e.g. `yieldAt(ctx.db, 'getCount')`. Every hook created here is
   * restored after each schedule.
   */
  points?: (ctx: C) => unknown;
  /** Runs after all tasks finished; throw (or assert) to fail the schedule. */
  check?: (ctx: C, results: unknown[]) => unknown;
  /** How schedules are chosen. Default `portfolio` (exhaustive while small, then `pct`). */
  strategy?: StrategyName;
  /** The preemption bound of `exhaustive` (and of portfolio's exhaustive phase). Default 2. */
  maxPreemptions?: number;
  /**
   * The delay bound of `delay-bounded`: how many times in a schedule its round-robin
   * scheduler may be made to skip a task. Default 2.
   *
   * @example
   * ```ts
   * import { checkpoint, explore } from 'interleave';
   *
   * await explore({ strategy: 'delay-bounded', maxDelays: 3, tasks: [() => checkpoint(), () => checkpoint()] });
   * ```
   */
  maxDelays?: number;
  /** The most schedules to run. Default 1000 for random, pct and portfolio; none for exhaustive or delay-bounded. */
  runs?: number;
  /** The bug depth `pct` targets (d in the paper): d-1 priority change points. Default 3. */
  depth?: number;
  /** Seeds `pct` and `random`. Default 0, so every run explores the same schedules. */
  seed?: number;
  /** Runs exactly the schedule a `RaceError` reported (its `.replay`). */
  replay?: string;
  /**
   * How long a step may run before its task counts as blocked. Default 100 ms. When every
   * unfinished task stays blocked for 5 times this, the schedule is a deadlock.
   */
  stepTimeout?: number;
  /**
   * How long a failed schedule's tasks get to settle (roll back, release locks) before they
   * are abandoned. Default 500 ms, so that a deadlock is reported within Mocha's 2000 ms test
   * timeout (see docs/test-runners.md).
   */
  settleTimeout?: number;
  /**
   * How long a promise returned by `setup`, `points`, `check` or `teardown` may take to settle,
   * each, per schedule; past it explore rejects with `ERR_CALLBACK_TIMEOUT` naming the
   * callback (for `check`, the schedule fails with that error as its cause). Default 1000 ms;
   * `Infinity` for no bound.
   */
  callbackTimeout?: number;
  /**
   * The most steps one schedule may take; a schedule that goes on longer (tasks spinning on
   * scheduling points without finishing) is reported as `ERR_LIVELOCK`. Default 10,000.
   */
  maxSteps?: number;
  /** Shrink a failing schedule to the fewest preemptions before reporting it. Default true. */
  shrink?: boolean;
  /**
   * Whose clock the timers the tasks make run on. `'virtual'` (the default): a task's
   * `setTimeout`, `setInterval` and `node:timers/promises` `setTimeout` wait on the schedule's
   * own clock and fire, in due-time order, when the scheduler grants them, as a point of the
   * task that made them (`setTimeout 30000 ms` in the trace): their order against the other
   * tasks' steps is explored, and no real time passes. Pending timers are dropped when the
   * schedule ends. `'real'`: timers run on the wall clock, as outside explore. Timers made
   * outside the tasks (in `setup`, by the test runner) and `setImmediate` are always real.
   */
  time?: 'virtual' | 'real';
}

/**
 * What {@link explore} resolves with when no schedule failed.
 *
 * @example
 * ```ts
 * import { checkpoint, explore, type ExploreReport } from 'interleave';
 *
 * const report: ExploreReport = await explore({
 *   strategy: 'exhaustive',
 *   tasks: [() => checkpoint('a'), () => checkpoint('b')],
 * });
 * console.log(report.schedules, report.exhausted, report.points); // 12 true { byTask: [1, 1], outsideTasks: 0 }
 * ```
 */
export interface ExploreReport {
  /**
   * How many schedules ran (shrinking replays not included). `exhaustive` and `delay-bounded`
   * run some of them twice: the cheaper schedules that those of the next bound branch off.
   */
  readonly schedules: number;
  /** True when every schedule within the bound was tried (exhaustive, delay-bounded, portfolio). */
  readonly exhausted: boolean;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly elapsedMs: number;
  /**
   * What the exploration saw of its scheduling points. `byTask`: for each task, the points it
   * was let past after its start, on average per schedule (two decimals); `outsideTasks`: the
   * points reached outside every task (code a server, queue or timer made before the tasks ran
   * for them), in total: they passed through uncontrolled. An exploration in which no task
   * passed a point after its start rejects with `ERR_NOTHING_TO_EXPLORE` instead of resolving.
   */
  readonly points: { readonly byTask: readonly number[]; readonly outsideTasks: number };
  /**
   * How many lanes the scheduler interleaved: one per task, and one more when virtual timers
   * fired (the timers' lane, shown as the `timers` column of a failure's table).
   */
  readonly lanes: number;
  /** The token this run replayed, when it was a replay. */
  readonly replayed?: string;
}

/**
 * Options of {@link yieldAt}.
 *
 * @example
 * ```ts
 * import { yieldAt, type YieldAtOptions } from 'interleave';
 *
 * const db = { async query(sql: string) { return sql.length; } };
 * const options: YieldAtOptions = { label: 'write', when: (call) => String(call.args[0]).startsWith('UPDATE') };
 * yieldAt(db, 'query', options).restore();
 * ```
 */
export interface YieldAtOptions {
  /** The point's name in the trace. Default: the method's name. */
  label?: string;
  /** Only calls for which this returns true become scheduling points. */
  when?: (call: { readonly args: readonly unknown[]; readonly thisArg: unknown }) => boolean;
  /**
   * For a method that takes a callback last (`fs.stat(path, cb)`, a `(err, value)` API): the
   * call returns at once and is made when the scheduler grants its point, and the callback's
   * invocation is a second point, `<label> callback`, whose arguments the trace records as the
   * call's result. A call without a function last is deferred alone. Default: false.
   */
  callback?: boolean;
  /**
   * For a synchronous method whose return value the caller does not use (`emitter.emit`):
   * the call returns at once (`emit` returns whether the event has listeners, anything else
   * `undefined`) and is made when the scheduler grants its point. Default: false.
   */
  defer?: boolean;
}
