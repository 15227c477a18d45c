import { describeValue } from './describe.ts';

/** The longest delay Node's timers keep: a longer one fires after 1 ms (with a warning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a duration option is named in messages, and its default. */
export interface DurationOption {
  /** E.g. "`options.timeout` of runInParallel()". */
  readonly name: string;
  /** What the duration bounds, e.g. "how long one barrier wait may take". */
  readonly meaning: string;
  readonly fallback: number;
  /** Whether `Infinity` (no bound: wait as long as it takes) is accepted. */
  readonly unbounded?: boolean;
}

/**
 * A duration option in milliseconds: `fallback` when left out, else a positive number no
 * greater than {@link MAX_TIMER_MS}. Anything else is a `TypeError` naming the option.
 */
export function validateDuration(value: unknown, option: DurationOption): number {
  if (value === undefined) return option.fallback;
  if (value === Infinity && option.unbounded === true) return value;
  const leaveOut = `Leave it out for the default (${option.fallback} ms).`;
  if (typeof value === 'number' && value > MAX_TIMER_MS && value !== Infinity) {
    throw new TypeError(
      `Expected ${option.name} to be at most ${MAX_TIMER_MS} ms (about 24.8 days), got ` +
        `${describeValue(value)}: Node fires a longer timer after 1 ms, so the wait would end ` +
        `at once. ${leaveOut}`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `Expected ${option.name} to be a positive, finite number of milliseconds ` +
        `(${option.meaning})${option.unbounded === true ? ', or Infinity for no bound' : ''}, ` +
        `got ${describeValue(value)}. ${leaveOut}`,
    );
  }
  return value;
}
