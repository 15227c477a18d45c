import { ParallelError, type TaskFailure } from './parallel-error.ts';
import { ownTimeout } from '../internal/real-timers.ts';

/** What a run does when tasks fail: the parts that differ between threads and async tasks. */
export interface RunHooks {
  /** The first failure came in: cancel the others (abort signals). */
  onFirstFailure(failure: TaskFailure): void;
  /** Task `index` did not settle within `timeout` of the first failure: stop it, explain. */
  abandon(index: number, first: TaskFailure): unknown;
  /**
   * `taskTimeout` ran out with the tasks `pending` (in task order) still running: stop them,
   * and return the error of each, in the same order.
   */
  timeOut(pending: readonly number[]): unknown[];
  /** Picks the root failure among all (default: the first to be reported). */
  pickFirst?(failures: readonly TaskFailure[], reportedFirst: TaskFailure): TaskFailure;
}

/**
 * Collects the outcomes of a run's tasks and settles the run once: with the results in task
 * order, the settled results (`settle`), or a ParallelError. After the first failure the
 * other tasks get `timeout` ms to settle before they are abandoned, and once the tasks have
 * started, none may run longer than `taskTimeout` (see {@link RunOutcomes.startClock}), so a
 * run never hangs.
 */
export class RunOutcomes {
  readonly done: Promise<unknown[]>;
  readonly #outcomes: (PromiseSettledResult<unknown> | undefined)[];
  readonly #timeout: number;
  readonly #settle: boolean;
  readonly #hooks: RunHooks;
  #pending: number;
  #first: TaskFailure | undefined;
  #grace: NodeJS.Timeout | undefined;
  #clock: NodeJS.Timeout | undefined;
  #resolve!: (results: unknown[]) => void;
  #reject!: (error: unknown) => void;

  constructor(count: number, timeout: number, settle: boolean, hooks: RunHooks) {
    this.#outcomes = Array.from({ length: count });
    this.#pending = count;
    this.#timeout = timeout;
    this.#settle = settle;
    this.#hooks = hooks;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Whether task `index` has an outcome already (settled or abandoned). */
  has(index: number): boolean {
    return this.#outcomes[index] !== undefined;
  }

  /**
   * The tasks start now: those still unsettled `taskTimeout` ms from now are timed out
   * (`RunHooks.timeOut`). `Infinity`: no bound.
   */
  startClock(taskTimeout: number): void {
    if (taskTimeout === Infinity || this.#pending === 0) return;
    this.#clock = ownTimeout(() => {
      this.#timeOut();
    }, taskTimeout);
  }

  fulfil(index: number, value: unknown): void {
    this.#record(index, { status: 'fulfilled', value });
  }

  reject(index: number, reason: unknown): void {
    this.#record(index, { status: 'rejected', reason });
  }

  #record(index: number, outcome: PromiseSettledResult<unknown>): void {
    if (this.#outcomes[index] !== undefined) return;
    this.#outcomes[index] = outcome;
    this.#pending--;
    if (outcome.status === 'rejected' && this.#first === undefined) {
      this.#first = { index, error: outcome.reason };
      this.#hooks.onFirstFailure(this.#first);
      if (this.#pending > 0) {
        this.#grace = ownTimeout(() => {
          this.#abandonRest();
        }, this.#timeout);
      }
    }
    if (this.#pending === 0) this.#finish();
  }

  #timeOut(): void {
    const pending: number[] = [];
    this.#outcomes.forEach((outcome, index) => {
      if (outcome === undefined) pending.push(index);
    });
    const errors = this.#hooks.timeOut(pending);
    pending.forEach((index, i) => {
      this.reject(index, errors[i]);
    });
  }

  #abandonRest(): void {
    const first = this.#first as TaskFailure;
    this.#outcomes.forEach((outcome, index) => {
      if (outcome !== undefined) return;
      this.#outcomes[index] = { status: 'rejected', reason: this.#hooks.abandon(index, first) };
    });
    this.#pending = 0;
    this.#finish();
  }

  #finish(): void {
    clearTimeout(this.#grace);
    clearTimeout(this.#clock);
    const results = this.#outcomes as PromiseSettledResult<unknown>[];
    if (this.#settle) {
      this.#resolve(results);
      return;
    }
    if (this.#first === undefined) {
      this.#resolve(results.map((r) => (r as PromiseFulfilledResult<unknown>).value));
      return;
    }
    const failures: TaskFailure[] = [];
    results.forEach((r, index) => {
      if (r.status === 'rejected') failures.push({ index, error: r.reason });
    });
    const first = this.#hooks.pickFirst?.(failures, this.#first) ?? this.#first;
    this.#reject(new ParallelError(failures, results.length, first));
  }
}
