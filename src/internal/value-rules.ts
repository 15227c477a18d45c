/**
 * The rules for single values: a function, a boolean, a string, one of a few strings, a whole
 * number in a range, and {@link optional} around any rule. (Timeouts: `duration.ts`; lists:
 * `list-rules.ts`.)
 */
import { arrayIncludes } from './intrinsics.ts';
import { isRevokedProxy } from './peek.ts';
import { invalid, type Rule } from './rule.ts';

/** Left out: `undefined`; else `rule` decides. */
export function optional<T>(rule: Rule<T>): Rule<T | undefined> {
  return (value, place) => (value === undefined ? undefined : rule(value, place));
}

/** A function, e.g. `expected: 'a function (call) => boolean'`. */
export function fn<T extends Function = Function>(expected = 'a function', hint = ''): Rule<T> {
  return (value, place) =>
    typeof value === 'function' && !isRevokedProxy(value)
      ? (value as T)
      : invalid(place, expected, value, hint);
}

/** A boolean, `fallback` when left out; `hint` says how to fix a wrong value. */
export function boolean(fallback: boolean, hint = ''): Rule<boolean> {
  return (value, place) => {
    if (value === undefined) return fallback;
    return typeof value === 'boolean' ? value : invalid(place, 'a boolean', value, hint);
  };
}

/** A string (`expected` says which), non-empty if `nonEmpty`. */
export function string(expected: string, hint = '', nonEmpty = false): Rule<string> {
  return (value, place) =>
    typeof value === 'string' && !(nonEmpty && value === '')
      ? value
      : invalid(place, expected, value, hint);
}

/** One of `values`, `fallback` when left out. */
export function oneOf<const T extends string>(
  values: readonly T[],
  { fallback, meaning, hint }: { fallback: T; meaning?: string; hint: string },
): Rule<T> {
  const expected = `one of ${values.map((v) => `'${v}'`).join(', ')}${meaning ? ` (${meaning})` : ''}`;
  return (value, place) => {
    if (value === undefined) return fallback;
    return arrayIncludes(values, value as T) ? (value as T) : invalid(place, expected, value, hint);
  };
}

/** What an {@link integer} accepts. */
export interface IntegerRange {
  readonly min: number;
  readonly max?: number;
  readonly fallback: number;
  /** What the number counts, shown in parentheses. */
  readonly meaning?: string;
  /** If set, `Infinity` is accepted too, meaning this (e.g. `for every call`). */
  readonly infinity?: string;
  /** Default: "Leave it out for the default (fallback)." */
  readonly hint?: string;
}

/** A whole number in a range, `fallback` when left out. */
export function integer(range: IntegerRange): Rule<number> {
  const { min, max = Number.MAX_SAFE_INTEGER, fallback, meaning, infinity } = range;
  const bounds = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const expected =
    `a whole number ${bounds}${meaning ? ` (${meaning})` : ''}` +
    (infinity ? `, or Infinity ${infinity}` : '');
  const hint = range.hint ?? `Leave it out for the default (${fallback}).`;
  return (value, place) => {
    if (value === undefined) return fallback;
    if (infinity !== undefined && value === Infinity) return value;
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? value
      : invalid(place, expected, value, hint);
  };
}
