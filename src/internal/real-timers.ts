import timers from 'node:timers';

/**
 * The timer functions as they were when interleave was loaded, for interleave's own waits
 * (step and settle timeouts, barrier and hook timeouts). While `explore` runs it replaces the
 * global timer functions with ones it can see (and, later, control), and its own waits must
 * neither be counted among what the explored code is waiting on nor be controlled with it.
 * Taken from `node:timers` rather than `globalThis`, which a test's fake timers may replace.
 */
export const realTimers = {
  setTimeout: timers.setTimeout,
  clearTimeout: timers.clearTimeout,
  setInterval: timers.setInterval,
  clearInterval: timers.clearInterval,
  setImmediate: timers.setImmediate,
  clearImmediate: timers.clearImmediate,
} as const;

/** Above 0 while {@link ownTimeout} makes a timer. */
let making = 0;

/**
 * A timeout of interleave's own that a test's fake timers may control (a hook's or a
 * barrier's bound): made with the global `setTimeout` of the moment, but never on an
 * explore's virtual clock, even when made inside one of its tasks.
 */
export function ownTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  making++;
  try {
    return setTimeout(callback, ms);
  } finally {
    making--;
  }
}

/** True while {@link ownTimeout} makes a timer: explore's timer wrappers leave it real. */
export function makingOwnTimer(): boolean {
  return making > 0;
}

/** How many of interleave's own ref'd real timeouts are pending (explore's step timers). */
let ownPending = 0;

/**
 * Told when one of interleave's own real timeouts starts (`+1`) or stops pending (`-1`), so
 * that a count of the process's active timeouts can leave them out (see `EventSources`).
 */
export function ownTimeoutPending(change: 1 | -1): void {
  ownPending += change;
}

/** Interleave's own real timeouts pending now. */
export function ownTimeoutsPending(): number {
  return ownPending;
}
