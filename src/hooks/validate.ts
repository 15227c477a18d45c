import { describeValue, formatKey, functionNames } from '../internal/describe.ts';
import { isThenable } from '../internal/thenable.ts';
import { HOOK_TIMEOUT } from '../internal/defaults.ts';
import { validateDuration } from '../internal/duration.ts';
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

const OPTION_NAMES = ['times', 'when', 'skip', 'timeout', 'unfired'];
const UNFIRED: readonly unknown[] = ['warn', 'throw', 'ignore'] satisfies Unfired[];

/**
 * Checks the arguments of `before`/`after` and returns the normalized options. Every
 * failure is a `TypeError` naming the argument, what was expected, what was received and
 * how to fix it.
 */
export function validateHookArgs(
  api: string,
  target: unknown,
  key: unknown,
  hook: unknown,
  options: unknown,
): ValidOptions {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
    throw new TypeError(
      `Expected \`target\` (the first argument of ${api}()) to be the object or function that ` +
        `holds the method to hook, got ${describeValue(target)}. Pass e.g. an instance, ` +
        `\`Class.prototype\`, a class (for a static method) or a module's exports object.`,
    );
  }
  if (typeof key !== 'string' && typeof key !== 'symbol') {
    throw new TypeError(
      `Expected \`key\` (the second argument of ${api}()) to be the method's name as a string ` +
        `or symbol, got ${describeValue(key)}. Write e.g. ${api}(db, 'getCount', hook).`,
    );
  }
  const name = formatKey(key);
  if (typeof hook !== 'function') {
    const called = isThenable(hook) ? ' (the result of calling a function?)' : '';
    throw new TypeError(
      `Expected \`hook\` (the third argument of ${api}(target, '${name}', hook)) to be a function, ` +
        `got ${describeValue(hook)}${called}. Pass the code to run, e.g. () => increment().`,
    );
  }
  const value: unknown = Reflect.get(target, key);
  if (typeof value !== 'function') {
    const names = functionNames(target);
    const known = names.length > 0 ? ` Functions on the target: ${names.join(', ')}.` : '';
    throw new TypeError(
      `Expected \`${name}\` to be a function on the target, got ${describeValue(value)}.${known} ` +
        `Check the name, and pass the object that holds the method (an instance, ` +
        `\`Class.prototype\` for all instances, or the class for a static method).`,
    );
  }
  return validateOptions(api, options);
}

function validateOptions(api: string, options: unknown): ValidOptions {
  // A fresh literal: a spread copy would be a slower kind of object on the hot creation path.
  if (options === undefined) {
    return { times: 1, skip: 0, when: undefined, timeout: HOOK_TIMEOUT, unfired: 'warn' };
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(
      `Expected \`options\` (the fourth argument of ${api}()) to be an object such as ` +
        `{ times: 2 }, got ${describeValue(options)}. Leave it out for the defaults.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new TypeError(
        `Unknown option \`${key}\` in the options of ${api}(): expected only ` +
          `${OPTION_NAMES.map((o) => `\`${o}\``).join(', ')}. Check the spelling.`,
      );
    }
  }
  const {
    times = 1,
    skip = 0,
    when,
    timeout,
    unfired = 'warn',
  } = options as Record<string, unknown>;
  if (
    typeof times !== 'number' ||
    !(times === Infinity || (Number.isInteger(times) && times >= 1))
  ) {
    throw new TypeError(
      `Expected \`options.times\` of ${api}() to be a whole number of at least 1, or Infinity for ` +
        `every call, got ${describeValue(times)}. Leave it out to fire once.`,
    );
  }
  if (typeof skip !== 'number' || !Number.isSafeInteger(skip) || skip < 0) {
    throw new TypeError(
      `Expected \`options.skip\` of ${api}() to be a whole number of at least 0 (how many ` +
        `matching calls to let through first), got ${describeValue(skip)}.`,
    );
  }
  if (when !== undefined && typeof when !== 'function') {
    throw new TypeError(
      `Expected \`options.when\` of ${api}() to be a function (call) => boolean, got ` +
        `${describeValue(when)}. Leave it out to match every call.`,
    );
  }
  const timeoutMs = validateDuration(timeout, {
    name: `\`options.timeout\` of ${api}()`,
    meaning: 'how long a call waits for a promise the hook returned',
    fallback: HOOK_TIMEOUT,
    unbounded: true,
  });
  if (!UNFIRED.includes(unfired)) {
    throw new TypeError(
      `Expected \`options.unfired\` of ${api}() to be 'warn', 'throw' or 'ignore' (what to do ` +
        `when the hook is restored without ever firing), got ${describeValue(unfired)}. Leave ` +
        `it out to warn.`,
    );
  }
  return {
    times,
    skip,
    when: when as ((call: CallInfo) => boolean) | undefined,
    timeout: timeoutMs,
    unfired: unfired as Unfired,
  };
}
