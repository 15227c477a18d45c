import { HookScope } from '../hooks/scope.ts';
import { DEADLOCK_STEPS } from '../internal/defaults.ts';
import { settleWithin } from '../internal/settle-within.ts';
import { isThenable } from '../internal/thenable.ts';
import { callbackTimeoutError, type SpecCallback } from './callback-timeout.ts';
import { EventSources } from './engine/event-sources.ts';
import { installTimerCensus, uninstallTimerCensus } from './engine/timer-census.ts';
import type { Chooser, RunResult, ScheduleLimits } from './engine/run-types.ts';
import { ScheduleRun } from './engine/schedule-run.ts';
import { enterExplore, leaveExplore } from './engine/task-context.ts';
import { publishTrace } from './engine/trace-recorder.ts';
import type { ValidSpec } from './validate.ts';

/**
 * One `explore` call's running state: it runs schedules one at a time, each the whole cycle
 * of `setup`, `points`, the tasks under the engine, `check` and `teardown`, and owns the
 * hooks `points` made. Those hooks are detached after each schedule; their pass-through
 * wrappers stay on the methods that the next schedule hooks again (cheap re-hooking), and
 * every original is back once the session closes.
 */
export class ExploreSession {
  readonly #spec: ValidSpec;
  readonly #limits: ScheduleLimits;
  readonly #storage = enterExplore();
  readonly #hooks = new HookScope();
  readonly #sources = new EventSources();
  /** The sources' baseline was taken again after the first schedule. */
  #rebased = false;
  #closed = false;

  constructor(spec: ValidSpec) {
    this.#spec = spec;
    // Timers made from here on are counted: what tells a wait that nothing could end it.
    installTimerCensus();
    this.#limits = {
      sources: this.#sources,
      stepTimeout: spec.stepTimeout,
      settleTimeout: spec.settleTimeout,
      deadlockTimeout: spec.stepTimeout * DEADLOCK_STEPS,
      maxSteps: spec.maxSteps,
      virtualTime: spec.time === 'virtual',
    };
  }

  /**
   * Runs one schedule as `chooser` decides. A failure of the tasks or of `check` is the
   * result's `failure`; an error of `setup`, `points` or (on a passing schedule) `teardown`
   * is thrown.
   */
  async schedule(chooser: Chooser): Promise<RunResult> {
    const spec = this.#spec;
    // User callbacks are awaited only when they return a promise: each needless await is a
    // microtask hop, and schedules are many.
    const setUp = spec.setup?.();
    const ctx = isThenable(setUp) ? await this.#bounded('setup', setUp) : setUp;
    let result: RunResult | undefined;
    let failed: { error: unknown } | undefined;
    try {
      // Methods hooked by the previous schedule but not by this one (e.g. on a fresh `ctx`
      // object per schedule) get their originals back once `points` is done.
      const collecting = this.#hooks.collect(spec.points, ctx);
      if (collecting !== undefined) await this.#bounded('points', collecting);
      const run = new ScheduleRun(this.#storage, chooser, this.#limits);
      result = await run.execute(spec.tasks, ctx);
      // What a test runner set up around the test's start (Mocha arms its test timeout once
      // the test function has returned its promise, after explore began) is not the tasks'.
      if (!this.#rebased) {
        this.#rebased = true;
        this.#sources.rebase();
      }
    } catch (error) {
      failed = { error };
    }
    this.#hooks.detach();
    if (result !== undefined && result.failure === undefined && spec.check !== undefined) {
      try {
        const checking = spec.check(ctx, result.results);
        if (isThenable(checking)) await this.#bounded('check', checking);
      } catch (error) {
        result.failure = { kind: 'check', error };
        // A failed schedule's trace is what a RaceError shows: frozen from here on.
        publishTrace(result.trace);
      }
    }
    try {
      const tearingDown = spec.teardown?.(ctx);
      if (isThenable(tearingDown)) await this.#bounded('teardown', tearingDown);
    } catch (error) {
      // A failed schedule is what the user needs to see; its teardown's error goes with it.
      if (failed === undefined && result?.failure === undefined) throw error;
      if (result !== undefined) result.teardownError = error;
    }
    if (failed !== undefined || result === undefined) throw failed?.error;
    return result;
  }

  /** Waits for what a spec callback returned, for at most `callbackTimeout`. */
  #bounded<T>(callback: SpecCallback, returned: PromiseLike<T>): Promise<T> {
    const ms = this.#spec.callbackTimeout;
    const fn = this.#spec[callback] as Function;
    return settleWithin(returned, ms, () => callbackTimeoutError(callback, fn, ms));
  }

  /** Ends the session: the hooks' originals go back, the task context storage turns off. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    leaveExplore();
    uninstallTimerCensus();
    this.#hooks.close();
  }
}
