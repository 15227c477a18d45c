import { describeValue, formatKey, functionNames } from '../internal/describe.ts';
import { reflectGet } from '../internal/intrinsics.ts';
import { hasThenMethod, isRevokedProxy } from '../internal/peek.ts';
import { HOOK_TIMEOUT } from '../internal/defaults.ts';
import { duration } from '../internal/duration.ts';
import {
  argumentError,
  fn,
  integer,
  invalid,
  oneOf,
  optional,
  parseOptions,
  readArgument,
} from '../internal/options.ts';
import type { CallInfo } from './types.ts';
import type { Unfired } from './unfired.ts';

/** Options after validation, with defaults filled in. */
export interface ValidOptions {
  times: number;
  skip: number;
  when: ((call: CallInfo) => boolean) | undefined;
  timeout: number;
  unfired: Unfired;
}

/** The options of `before`/`after`, in the order they are checked and listed. */
const SCHEMA = {
  times: integer({
    min: 1,
    fallback: 1,
    infinity: 'for every call',
    hint: 'Leave it out to fire once.',
  }),
  when: optional(
    fn<(call: CallInfo) => boolean>(
      'a function (call) => boolean',
      'Leave it out to match every call.',
    ),
  ),
  skip: integer({ min: 0, fallback: 0, meaning: 'how many matching calls to let through first' }),
  timeout: duration({
    meaning: 'how long a call waits for a promise the hook returned',
    fallback: HOOK_TIMEOUT,
    unbounded: true,
  }),
  unfired: oneOf<Unfired>(['warn', 'throw', 'ignore'], {
    fallback: 'warn',
    meaning: 'what to do when the hook is restored without ever firing',
    hint: 'Leave it out to warn.',
  }),
};

/**
 * Checks the arguments of `before`/`after` and returns the normalized options. Every
 * failure is an `ArgumentError` naming the argument, what was expected, what was received
 * and how to fix it.
 */
export function validateHookArgs(
  api: string,
  target: unknown,
  key: unknown,
  hook: unknown,
  options: unknown,
): ValidOptions {
  if (
    target === null ||
    (typeof target !== 'object' && typeof target !== 'function') ||
    isRevokedProxy(target)
  ) {
    invalid(
      { api, argument: 'target', subject: `\`target\` (the first argument of ${api}())` },
      'the object or function that holds the method to hook',
      target,
      "Pass e.g. an instance, `Class.prototype`, a class (for a static method) or a module's " +
        'exports object.',
    );
  }
  if (typeof key !== 'string' && typeof key !== 'symbol') {
    invalid(
      { api, argument: 'key', subject: `\`key\` (the second argument of ${api}())` },
      "the method's name as a string or symbol",
      key,
      `Write e.g. ${api}(db, 'getCount', hook).`,
    );
  }
  const name = formatKey(key);
  if (typeof hook !== 'function' || isRevokedProxy(hook)) {
    const called = hasThenMethod(hook) ? ' (the result of calling a function?)' : '';
    const subject = `\`hook\` (the third argument of ${api}(target, '${name}', hook))`;
    throw argumentError(
      { api, argument: 'hook', subject },
      'a function',
      describeValue(hook) + called,
      'Pass the code to run, e.g. () => increment().',
    );
  }
  const method = { api, argument: 'key', subject: `\`${name}\`` };
  const expected = 'a function on the target';
  const value = readArgument(
    method,
    expected,
    target,
    () => reflectGet(target, key) as unknown,
    (thrown) => `nothing: reading it from ${describeValue(target)} threw ${thrown}`,
  );
  if (typeof value !== 'function' || isRevokedProxy(value)) {
    const names = functionNames(target);
    const known = names.length > 0 ? `Functions on the target: ${names.join(', ')}. ` : '';
    invalid(
      method,
      expected,
      value,
      `${known}Check the name, and pass the object that holds the method (an instance, ` +
        '`Class.prototype` for all instances, or the class for a static method).',
    );
  }
  return validateOptions(api, options);
}

function validateOptions(api: string, options: unknown): ValidOptions {
  // A fresh literal: a spread copy would be a slower kind of object on the hot creation path.
  if (options === undefined) {
    return { times: 1, skip: 0, when: undefined, timeout: HOOK_TIMEOUT, unfired: 'warn' };
  }
  const valid = parseOptions(
    options,
    {
      api,
      name: 'options',
      position: 'the fourth argument',
      example: '{ times: 2 }',
      noun: 'option',
      optional: true,
    },
    SCHEMA,
  );
  return {
    times: valid.times,
    skip: valid.skip,
    when: valid.when,
    timeout: valid.timeout,
    unfired: valid.unfired,
  };
}
