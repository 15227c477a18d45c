/** The stable code of every {@link ArgumentError}. */
export type ArgumentErrorCode = 'ERR_INVALID_ARGUMENT';

/** What an {@link ArgumentError} says about the argument it rejects. */
export interface ArgumentErrorDetails {
  /** The function that was called, e.g. `runInParallel`. */
  readonly api: string;
  /** The argument or option as the message names it, e.g. `options.timeout` or `tasks[1]`. */
  readonly argument: string;
  /** What was expected, e.g. `a boolean`. */
  readonly expected: string;
  /** A description of the value received, e.g. `a string ("yes")`. */
  readonly received: string;
  /** How to fix it, e.g. `Leave it out for the default (500 ms).`; empty when there is none. */
  readonly hint?: string;
}

/**
 * A bad argument or option, found before anything ran. It is a `TypeError` (its `name` is
 * `TypeError`, and `instanceof TypeError` holds), with a stable `code` and the parts of its
 * message as fields, so a tool can tell which option of which API was wrong without parsing
 * the text.
 *
 * @example
 * ```ts
 * import { ArgumentError, runInParallel } from 'interleave';
 *
 * try {
 *   await runInParallel([async () => {}], { timeout: -5 });
 * } catch (err) {
 *   if (err instanceof ArgumentError) {
 *     console.log(err.code); // 'ERR_INVALID_ARGUMENT'
 *     console.log(err.api, err.argument); // 'runInParallel' 'options.timeout'
 *     console.log(err.received); // 'a number (-5)'
 *   }
 * }
 * ```
 */
export class ArgumentError extends TypeError {
  // The fields are not enumerable, so that the error still equals a plain `TypeError` with
  // the same message in `expect(...).toThrow(new TypeError(...))` and `toEqual`.
  /** Always `ERR_INVALID_ARGUMENT`. */
  declare readonly code: ArgumentErrorCode;
  /** The function that was called, e.g. `runInParallel`. */
  declare readonly api: string;
  /** The argument or option, e.g. `options.timeout`, `key`, `tasks[1]`. */
  declare readonly argument: string;
  /** What was expected, e.g. `a boolean`. */
  declare readonly expected: string;
  /** A description of the value received, e.g. `a string ("yes")`. */
  declare readonly received: string;
  /** How to fix it; empty when the message has no advice beyond `expected`. */
  declare readonly hint: string;

  /**
   * @param message - the whole message: what was expected, what was received, how to fix it.
   * @param details - the same as data.
   */
  constructor(message: string, details: ArgumentErrorDetails) {
    super(message);
    const field = (value: string) => ({ value, configurable: true });
    Object.defineProperties(this, {
      code: field('ERR_INVALID_ARGUMENT'),
      api: field(details.api),
      argument: field(details.argument),
      expected: field(details.expected),
      received: field(details.received),
      hint: field(details.hint ?? ''),
    });
  }
}

/** The fields of `error` as a plain object, e.g. to send it to another thread. */
export function argumentDetails(error: ArgumentError): Required<ArgumentErrorDetails> {
  const { api, argument, expected, received, hint } = error;
  return { api, argument, expected, received, hint };
}
