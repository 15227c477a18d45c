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
