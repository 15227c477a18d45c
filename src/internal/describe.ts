import { types } from 'node:util';
import { className, ownString } from './class-name.ts';
import { errorLineOf, errorParts } from './error-parts.ts';

/**
 * Describes a received value for an error message: its type and, where short, the value
 * itself, e.g. `a string ("gteCount")`, `a number (-1)`, `null`, `an object ({ a, b })`.
 * Never throws, and runs no Proxy trap and no getter but an Error's `name`, `message`, `code`.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'bigint':
      return `a bigint (${String(value)}n)`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'symbol':
      return `a symbol (${value.toString()})`;
    case 'function':
      return functionText(value);
    default:
      return describeObject(value);
  }
}

function functionText(fn: Function): string {
  if (types.isProxy(fn)) return 'a function (a Proxy)';
  const name = ownString(fn, 'name');
  return name ? `a function (${name})` : 'an anonymous function';
}

function describeObject(value: object): string {
  // A Proxy first: anything else would run its traps (or throw, for a revoked one).
  if (types.isProxy(value)) return 'an object (a Proxy)';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (types.isPromise(value)) return 'a promise';
  const error = errorParts(value);
  if (error !== undefined) return `an error (${errorLineOf(error, { max: 80 })})`;
  if (types.isModuleNamespaceObject(value)) return 'an ES module namespace';
  const keys = Object.keys(value);
  const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', ...' : '');
  const shape = keys.length > 0 ? `{ ${shown} }` : '{}';
  const ctor = className(value);
  return ctor === undefined ? `an object (${shape})` : `an instance of ${ctor} (${shape})`;
}

/** Formats a property key for a message: `getCount`, `[Symbol(run)]`. */
export function formatKey(key: PropertyKey): string {
  return typeof key === 'symbol' ? `[${key.toString()}]` : String(key);
}

/**
 * Lists the names of the function-valued properties reachable on `target` (own and
 * inherited, up to but excluding `Object.prototype` / `Function.prototype`), so an error
 * can say what *is* there. Never throws: getters are not invoked.
 */
export function functionNames(target: object, limit = 12): string[] {
  const names = new Set<string>();
  let current: object | null = target;
  while (
    current !== null &&
    current !== Object.prototype &&
    current !== Function.prototype &&
    names.size < limit
  ) {
    for (const key of Reflect.ownKeys(current)) {
      if (key === 'constructor' || names.size >= limit) continue;
      const desc = Object.getOwnPropertyDescriptor(current, key);
      if (desc && 'value' in desc && typeof desc.value === 'function') names.add(formatKey(key));
      // A getter may hold a function (bundled CommonJS exports); it is named, not called.
      else if (desc?.get) names.add(`${formatKey(key)} (getter)`);
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return [...names];
}
