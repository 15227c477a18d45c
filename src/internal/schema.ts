/**
 * {@link parseOptions}: checks an options object against a schema of rules (one per field)
 * and returns the typed values with their defaults. An API declares its options as a schema.
 */
import { ArgumentError } from '../argument-error.ts';
import { arrayForEach, arrayIncludes, arrayJoin, arrayMap, objectKeys } from './intrinsics.ts';
import { isArray, isRevokedProxy } from './peek.ts';
import { invalid, readArgument, type Rule } from './rule.ts';

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
