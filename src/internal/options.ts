/**
 * Argument checking for every API: an {@link ArgumentError} built one way, a set of rules
 * (one per kind of value), and {@link parseOptions}, which checks an options object against a
 * schema of rules and returns the typed values with their defaults. An API declares its
 * options as a schema; the wording of every message lives here.
 */
import { ArgumentError } from '../argument-error.ts';
import { describeValue } from './describe.ts';
import {
  arrayForEach,
  arrayIncludes,
  arrayJoin,
  arrayMap,
  objectDefineProperty,
  objectKeys,
} from './intrinsics.ts';
import { isArray, isRevokedProxy } from './peek.ts';

/** Where a value sits, as messages name it. */
export interface Place {
  /** The function called, e.g. `runInParallel`. */
  readonly api: string;
  /** The argument or option, e.g. `options.timeout`. */
  readonly argument: string;
  /** How the message names it, when not "`argument` of api()". */
  readonly subject?: string;
}

/** Checks one value (`undefined` when left out) and returns it typed, or throws. */
export type Rule<T> = (value: unknown, place: Place) => T;

/** How a message names the value at `place`, e.g. "`options.timeout` of runInParallel()". */
export function subjectOf(place: Place): string {
  return place.subject ?? `\`${place.argument}\` of ${place.api}()`;
}

/** The `ArgumentError` "Expected <subject> to be <expected>, got <received>. <hint>". */
export function argumentError(
  place: Place,
  expected: string,
  received: string,
  hint = '',
): ArgumentError {
  return new ArgumentError(
    `Expected ${subjectOf(place)} to be ${expected}, got ${received}.${hint === '' ? '' : ` ${hint}`}`,
    { api: place.api, argument: place.argument, expected, received, hint },
  );
}

/** Throws {@link argumentError} for `value`, described by `describeValue`. */
export function invalid(place: Place, expected: string, value: unknown, hint?: string): never {
  throw argumentError(place, expected, describeValue(value), hint);
}

/**
 * `read()`, which reads `value` (an options object, an array): a getter or Proxy trap of it
 * that throws makes an {@link ArgumentError} saying so, with what it threw as the `cause`.
 * `received` words it (default: "<value> that threw <error> when read").
 */
export function readArgument<T>(
  place: Place,
  expected: string,
  value: unknown,
  read: () => T,
  received = (thrown: string) => `${describeValue(value)} that threw ${thrown} when read`,
): T {
  try {
    return read();
  } catch (error) {
    const rejection = argumentError(place, expected, received(describeValue(error)));
    objectDefineProperty(rejection, 'cause', { value: error, configurable: true, writable: true });
    throw rejection;
  }
}

/** How an options object is named in messages. */
export interface OptionsShape {
  readonly api: string;
  /** The parameter's name, e.g. `options` or `spec`. */
  readonly name: string;
  /** Which argument it is, e.g. `the fourth argument`. */
  readonly position: string;
  /** A short valid value, e.g. `{ times: 2 }`. */
  readonly example: string;
  /** How its fields are named: `option` (as `options.times`) or `field` (as `tasks`). */
  readonly noun: 'option' | 'field';
  /** Whether it may be left out (then every rule gets `undefined`). */
  readonly optional: boolean;
}

type Parsed<S> = { -readonly [K in keyof S]: S[K] extends Rule<infer T> ? T : never };

/**
 * Checks `value` against `schema`: an object with no keys outside it, each field passing its
 * rule, in the schema's order. Returns the fields' values with their defaults filled in.
 */
export function parseOptions<S extends Record<string, Rule<unknown>>>(
  value: unknown,
  shape: OptionsShape,
  schema: S,
): Parsed<S> {
  const { api, name, noun } = shape;
  if (value === undefined && shape.optional) value = {};
  const subject = `\`${name}\` (${shape.position} of ${api}())`;
  const place = { api, argument: name, subject };
  const expected = `an object such as ${shape.example}`;
  if (value === null || typeof value !== 'object' || isRevokedProxy(value) || isArray(value)) {
    invalid(place, expected, value, shape.optional ? 'Leave it out for the defaults.' : '');
  }
  const prefix = noun === 'option' ? `${name}.` : '';
  const known = objectKeys(schema);
  const record = value as Record<string, unknown>;
  // Every field is read before any is checked: a throwing getter is the object's fault.
  const given = readArgument(place, expected, value, () => objectKeys(value));
  const values = readArgument(place, expected, value, () => arrayMap(known, (key) => record[key]));
  for (let i = 0; i < given.length; i++) {
    const key = given[i] as string;
    if (!arrayIncludes(known, key)) {
      const expected = `only ${arrayJoin(
        arrayMap(known, (k) => `\`${k}\``),
        ', ',
      )}`;
      throw new ArgumentError(
        `Unknown ${noun} \`${key}\` in the ${name} of ${api}(): expected ${expected}. Check the spelling.`,
        {
          api,
          argument: prefix + key,
          expected,
          received: `an unknown ${noun}`,
          hint: 'Check the spelling.',
        },
      );
    }
  }
  const parsed: Record<string, unknown> = {};
  arrayForEach(known, (key, i) => {
    parsed[key] = (schema[key] as Rule<unknown>)(values[i], { api, argument: prefix + key });
  });
  return parsed as Parsed<S>;
}

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

/** A boolean, `fallback` when left out. */
export function boolean(fallback: boolean): Rule<boolean> {
  return (value, place) => {
    if (value === undefined) return fallback;
    return typeof value === 'boolean' ? value : invalid(place, 'a boolean', value);
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

/**
 * The most tasks one run of `runInParallel` or `explore` may have. Race tests run 2 to 10
 * tasks, and the benchmark measures 64; every barrier message and trace table has a line or a
 * column per task, so past about a thousand they stop being read. The bound is there to refuse
 * a list built by mistake (a length of 2^32 - 1 would otherwise be walked for minutes and end
 * out of memory) with a clear message, not to ration real runs.
 */
export const MAX_TASKS = 1024;

/** What {@link listItems} checks a list against. */
export interface ListRule<T> {
  /** The whole list, e.g. `a non-empty array of functions (ctx) => ...`. */
  readonly expected: string;
  readonly hint?: string;
  /** The most items allowed (default {@link MAX_TASKS}). */
  readonly max?: number;
  /** Checks item `index` (never a hole) and returns it typed, or throws. */
  readonly item: (value: unknown, index: number) => T;
}

/**
 * The items of `list` (at `place`), each checked by `rule.item`: refused when the list is
 * longer than `rule.max` (checked first, so a huge length is never walked) or has a hole
 * (`[f, , g]`: `map` and `forEach` skip holes, so an item check there would never see it).
 */
export function listItems<T>(list: readonly unknown[], place: Place, rule: ListRule<T>): T[] {
  const { expected, hint = '', max = MAX_TASKS } = rule;
  const { length } = list;
  if (length > max) invalid(place, `${expected} (at most ${max})`, list, hint);
  const items: T[] = [];
  for (let index = 0; index < length; index++) {
    if (!Object.hasOwn(list, index)) {
      const at = { api: place.api, argument: `${place.argument}[${index}]` };
      throw argumentError(
        { ...at, subject: subjectOf(place) },
        `${expected}, with no holes`,
        `an array with a hole at index ${index} (an empty slot, as in [a, , b])`,
        hint,
      );
    }
    items.push(rule.item(list[index], index));
  }
  return items;
}

/**
 * A non-empty array of at most `max` items (default {@link MAX_TASKS}), with no holes, whose
 * items pass `item` (each checked at `argument[i]`); `expected` and `hint` describe the whole
 * array.
 */
export function nonEmptyList<T>(
  item: Rule<T>,
  expected: string,
  hint = '',
  max = MAX_TASKS,
): Rule<T[]> {
  return (value, place) => {
    if (!isArray(value)) invalid(place, expected, value, hint);
    const list = value;
    // Read through the guard: a Proxy's traps run here, and one that throws is an
    // ArgumentError. The length is checked before anything is copied or walked.
    const length = readArgument(place, expected, value, () => list.length);
    if (length === 0) invalid(place, expected, value, hint);
    if (length > max) invalid(place, `${expected} (at most ${max})`, value, hint);
    // A copy, read once, holes kept as they are (listItems names them).
    const copy = readArgument(place, expected, value, () => list.slice());
    return listItems(copy, place, {
      expected,
      hint,
      max,
      item: (v, i) => item(v, { api: place.api, argument: `${place.argument}[${i}]` }),
    });
  };
}
