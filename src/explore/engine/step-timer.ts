import { ownTimeoutPending, realTimers } from '../../internal/real-timers.ts';
import type { WakeSources } from './run-types.ts';

/**
 * The one timer of a schedule, bounding whichever wait the schedule is in: a step
 * (`stepTimeout`), every task blocked (`deadlockTimeout`), the settling after a failure
 * (`settleTimeout`).
 *
 * A wait ends quietly before its timeout when nothing could end it otherwise ("quiet, not
 * timed"): {@link goOn} first lets the event loop turn once (every queued microtask and tick
 * runs, so a task that only awaited in-memory promises has parked by then), and if the wait
 * is still on and no timer, immediate, socket or request in the process could wake anyone
 * (`EventSources`), it times out at once, with {@link endedQuietly} set. Only when
 * something could, the real timeout is armed. One `setImmediate` serves every wait begun in
 * the same turn, so steps that all end in microtasks pay for one per turn, not one per step.
 *
 * The real timeout is restarted with `refresh()`, cheaper than a timer per step, and never
 * cleared in between: `refresh()` on a cleared timer never fires again. A timeout of an
 * earlier wait firing late is ignored. The timer keeps Node's event loop alive while tasks
 * wait on in-memory promises, so it is never unref'd: the schedule clears it when it ends.
 */
export class StepTimer {
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The turn's check, shared by every wait begun in that turn. */
  #immediate: ReturnType<typeof setImmediate> | undefined;
  /** A timeout of 0 (after the current turn). */
  #zero: ReturnType<typeof setImmediate> | undefined;
  #ms = 0;
  /** The bound of the current wait, armed once the turn's check saw a possible source. */
  #waitMs = 0;
  /** The real timeout belongs to the current wait (not to an earlier one). */
  #armed = false;
  #timedOut = false;
  #quietly = false;
  readonly #onTimeout: () => void;
  readonly #waiting: () => boolean;
  readonly #sources: WakeSources;
  /** The real timeout is scheduled and has not fired (it counts among the active timeouts). */
  #pending = false;
  /** Tasks let go after a failure that are on their way between two points (see `hold`). */
  #held = 0;

  /**
   * `onTimeout` runs when a wait runs out (then {@link timedOut} is true); `waiting` tells
   * whether the current wait is still on when the turn's check comes.
   */
  constructor(onTimeout: () => void, waiting: () => boolean, sources: WakeSources) {
    this.#onTimeout = onTimeout;
    this.#waiting = waiting;
    this.#sources = sources;
  }

  /**
   * Callbacks get the timer as their argument rather than closing over it: a closure made
   * here and handed to `setTimeout` kept each schedule's records alive through
   * young-generation collections (measured: three to four times slower schedules).
   */
  static #fire(this: void, timer: StepTimer): void {
    timer.#pendingNoMore();
    if (!timer.#armed) return;
    timer.#armed = false;
    timer.#timedOut = true;
    timer.#onTimeout();
  }

  /** The turn after {@link goOn}: end the wait now if nothing could end it, else arm it. */
  static #check(this: void, timer: StepTimer): void {
    timer.#immediate = undefined;
    if (timer.#timedOut || timer.#armed || !timer.#waiting()) return;
    if (timer.#held > 0 || timer.#sources.possible()) {
      timer.#armReal(timer.#waitMs);
      return;
    }
    timer.#quietly = true;
    timer.#timedOut = true;
    timer.#onTimeout();
  }

  /** True once the wait begun last has run out (or ended quietly). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** True when the wait begun last ended because nothing in the process could end it. */
  get endedQuietly(): boolean {
    return this.#quietly;
  }

  /** Whether anything in the process could wake a waiting task now (see `EventSources`). */
  sourcesPossible(): boolean {
    return this.#held > 0 || this.#sources.possible();
  }

  /**
   * A task let go after a failure passed a point and goes on after an event-loop turn, on
   * one of interleave's own immediates (not counted as a source): until {@link unhold}, it is
   * something that may still end the wait.
   */
  hold(): void {
    this.#held++;
  }

  /** The held task has gone on. */
  unhold(): void {
    this.#held--;
  }

  /**
   * Begins a wait bounded by `ms` that ends at once, after one turn of the event loop, if
   * nothing could end it (see the class). 0: it times out after that turn in any case.
   */
  goOn(ms: number): void {
    this.#begin();
    this.#waitMs = ms;
    if (ms === 0) {
      this.#armImmediate();
      return;
    }
    this.#immediate ??= realTimers.setImmediate(StepTimer.#check, this);
  }

  /** Begins a wait that times out `ms` from now, however quiet the process is. */
  arm(ms: number): void {
    this.#begin();
    if (ms === 0) this.#armImmediate();
    else this.#armReal(ms);
  }

  /** Stops the timer for good (the schedule has ended). */
  clear(): void {
    this.#armed = false;
    this.#pendingNoMore();
    realTimers.clearTimeout(this.#timer);
    realTimers.clearImmediate(this.#immediate);
    realTimers.clearImmediate(this.#zero);
    this.#immediate = undefined;
    this.#zero = undefined;
  }

  #begin(): void {
    this.#timedOut = false;
    this.#quietly = false;
    this.#armed = false;
    if (this.#zero !== undefined) {
      realTimers.clearImmediate(this.#zero);
      this.#zero = undefined;
    }
  }

  /** A timeout of 0: after the current turn of the event loop. */
  #armImmediate(): void {
    this.#zero = realTimers.setImmediate(StepTimer.#immediateFire, this);
  }

  static #immediateFire(this: void, timer: StepTimer): void {
    timer.#zero = undefined;
    timer.#timedOut = true;
    timer.#onTimeout();
  }

  /** The real timeout no longer pends (it fired, or the schedule ended). */
  #pendingNoMore(): void {
    if (!this.#pending) return;
    this.#pending = false;
    ownTimeoutPending(-1);
  }

  #armReal(ms: number): void {
    this.#armed = true;
    if (!this.#pending) {
      this.#pending = true;
      ownTimeoutPending(1);
    }
    if (this.#timer !== undefined && this.#ms === ms) {
      this.#timer.refresh();
    } else {
      realTimers.clearTimeout(this.#timer);
      this.#ms = ms;
      this.#timer = realTimers.setTimeout(StepTimer.#fire, ms, this);
    }
  }
}
