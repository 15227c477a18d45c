import { ArgumentError } from '../argument-error.ts';
import { describeValue } from './describe.ts';
import { invalid, subjectOf, type Rule } from './rule.ts';

/** The longest delay Node's timers keep: a longer one fires after 1 ms (with a warning). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a duration option bounds, and its default. */
export interface DurationOption {
  /** What the duration bounds, e.g. "how long one barrier wait may take". */
  readonly meaning: string;
  readonly fallback: number;
  /** Whether `Infinity` (no bound: wait as long as it takes) is accepted. */
  readonly unbounded?: boolean;
  /** What 0 means, if 0 is accepted (e.g. "one turn of the event loop"). */
  readonly zero?: string;
}

/**
 * The rule of every timeout: a number of milliseconds, `fallback` when left out, else
 * positive, finite (or `Infinity` if `unbounded`) and no greater than {@link MAX_TIMER_MS}.
 */
export function duration(option: DurationOption): Rule<number> {
  const unbounded = option.unbounded === true;
  const hint = `Leave it out for the default (${option.fallback} ms).`;
  const expected =
    `a positive, finite number of milliseconds (${option.meaning})` +
    (unbounded ? ', or Infinity for no bound' : '') +
    (option.zero === undefined ? '' : `, or 0 for ${option.zero}`);
  return (value, place) => {
    if (value === undefined) return option.fallback;
    if (value === Infinity && unbounded) return value;
    if (value === 0 && option.zero !== undefined) return value;
    if (typeof value === 'number' && value > MAX_TIMER_MS && value !== Infinity) {
      const limit = `at most ${MAX_TIMER_MS} ms (about 24.8 days)`;
      const received = describeValue(value);
      const why = 'Node fires a longer timer after 1 ms, so the wait would end at once.';
      throw new ArgumentError(
        `Expected ${subjectOf(place)} to be ${limit}, got ${received}: ` + `${why} ${hint}`,
        {
          api: place.api,
          argument: place.argument,
          expected: limit,
          received,
          hint: `${why} ${hint}`,
        },
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      invalid(place, expected, value, hint);
    }
    return value;
  };
}
