/**
 * The rules for lists (the tasks of `runInParallel`, `runInWorkers` and `explore`): bounded
 * in length, with no holes, each item checked at `argument[i]`.
 */
import { isArray } from './peek.ts';
import { argumentError, invalid, type Place, readArgument, type Rule, subjectOf } from './rule.ts';

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
