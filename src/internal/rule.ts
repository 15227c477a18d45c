/**
 * What an argument rule is (a {@link Rule} checks the value at a {@link Place}) and how one
 * refuses a value: the {@link ArgumentError} "Expected <subject> to be <expected>, got
 * <received>. <hint>", built one way for every API. The rules themselves are in
 * `value-rules.ts`, `list-rules.ts`, `duration.ts`; `schema.ts` checks an options object.
 */
import { ArgumentError } from '../argument-error.ts';
import { describeValue } from './describe.ts';
import { objectDefineProperty } from './intrinsics.ts';

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
