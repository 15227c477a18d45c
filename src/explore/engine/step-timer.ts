/**
 * The one timer of a schedule, bounding whichever wait the schedule is in: a step
 * (`stepTimeout`), every task blocked (`deadlockTimeout`), the settling after a failure
 * (`settleTimeout`). Arming it again restarts it with `refresh()`, cheaper than a timer per
 * step. It is what keeps Node's event loop alive while tasks wait on in-memory promises, so it
 * is never unref'd: the schedule clears it when it ends.
 */
export class StepTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #ms = 0;
  #timedOut = false;
  readonly #onTimeout: () => void;

  /** `onTimeout` runs when an armed wait runs out (then {@link timedOut} is true). */
  constructor(onTimeout: () => void) {
    this.#onTimeout = onTimeout;
  }

  /**
   * The timer's callback gets the timer as its argument rather than closing over it: a
   * closure made here and handed to `setTimeout` kept each schedule's records alive through
   * young-generation collections (measured: three to four times slower schedules).
   */
  static #fire(this: void, timer: StepTimer): void {
    timer.#immediate = undefined;
    timer.#timedOut = true;
    timer.#onTimeout();
  }

  /** True once the wait armed last has run out. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /**
   * Starts the timeout of the next wait, `ms` from now; 0: after the current turn of the
   * event loop (every queued microtask and tick has run, and I/O callbacks due now).
   */
  arm(ms: number): void {
    this.#timedOut = false;
    if (this.#immediate !== undefined) {
      clearImmediate(this.#immediate);
      this.#immediate = undefined;
    }
    if (ms === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#immediate = setImmediate(StepTimer.#fire, this);
      return;
    }
    if (this.#timer !== undefined && this.#ms === ms) {
      this.#timer.refresh();
    } else {
      clearTimeout(this.#timer);
      this.#ms = ms;
      this.#timer = setTimeout(StepTimer.#fire, ms, this);
    }
  }

  /** Stops the timer for good (the schedule has ended). */
  clear(): void {
    clearTimeout(this.#timer);
    clearImmediate(this.#immediate);
  }
}
