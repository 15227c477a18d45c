import { types } from 'node:util';
import { className } from './class-name.ts';
import { cutText } from './cut.ts';
import { errorLineOf, errorParts } from './error-parts.ts';
import { isProxy, isRevokedProxy } from './peek.ts';

/**
 * Describes a received value for an error message: its type and, where short, the value
 * itself, e.g. `a string ("gteCount")`, `a number (-1)`, `null`, `an object ({ a, b })`.
 * Never throws, and runs none of the value's code (no getter, Proxy trap or `toString`)
 * but an Error's own `name` and `message`: a value passed by mistake must get a message
 * about the mistake, e.g. `a revoked Proxy`, `a Proxy`, `a function`.
 */
export function describeValue(value: unknown): string {
  try {
    return describe(value);
  } catch {
    // Not expected (nothing above runs user code), but a message must still come out.
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${cutText(value, 37)}...` : value)})`;
    case 'number':
      return `a number (${String(value)})`;
    case 'bigint':
      return `a bigint (${String(value)}n)`;
    case 'boolean':
      return `a boolean (${String(value)})`;
    case 'symbol':
      return `a symbol (${String(value)})`;
    case 'function':
      return isProxy(value) ? describeProxy(value) : describeFunction(value);
    default:
      return isProxy(value) ? describeProxy(value) : describeObject(value);
  }
}

/** A Proxy by what it wraps, as far as that shows without a trap. */
function describeProxy(proxy: object): string {
  if (isRevokedProxy(proxy)) return 'a revoked Proxy';
  if (typeof proxy === 'function') return 'a Proxy of a function';
  return Array.isArray(proxy) ? 'a Proxy of an array' : 'a Proxy';
}

/** By its own `name` when that is a string: a Symbol or a getter there is not shown. */
function describeFunction(fn: Function): string {
  const desc = Object.getOwnPropertyDescriptor(fn, 'name');
  if (desc === undefined || desc.value === '') return 'an anonymous function';
  return typeof desc.value === 'string' ? `a function (${desc.value})` : 'a function';
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (types.isPromise(value)) return 'a promise';
  const error = errorParts(value);
  if (error !== undefined) return `an error (${errorLineOf(error, { max: 80 })})`;
  if (types.isModuleNamespaceObject(value)) return 'an ES module namespace';
  const keys = Object.keys(value);
  const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', ...' : '');
  const shape = keys.length > 0 ? `{ ${shown} }` : '{}';
  const ctor = className(value);
  return ctor === undefined || ctor === 'Object'
    ? `an object (${shape})`
    : `an instance of ${ctor} (${shape})`;
}

/** Formats a property key for a message: `getCount`, `[Symbol(run)]`. */
export function formatKey(key: PropertyKey): string {
  return typeof key === 'symbol' ? `[${String(key)}]` : String(key);
}

/**
 * Lists the names of the function-valued properties reachable on `target` (own and
 * inherited, up to but excluding `Object.prototype` / `Function.prototype`), so an error
 * can say what *is* there. Never throws: getters are not invoked, and a Proxy ends the list
 * (listing its keys would run its traps).
 */
export function functionNames(target: object, limit = 12): string[] {
  const names = new Set<string>();
  let current: object | null = target;
  while (
    current !== null &&
    current !== Object.prototype &&
    current !== Function.prototype &&
    !isProxy(current) &&
    names.size < limit
  ) {
    for (const key of Reflect.ownKeys(current)) {
      if (key === 'constructor' || names.size >= limit) continue;
      const desc = descriptor(current, key);
      if (desc && 'value' in desc && typeof desc.value === 'function') {
        if (!isRevokedProxy(desc.value)) names.add(formatKey(key));
      }
      // A getter may hold a function (bundled CommonJS exports); it is named, not called.
      else if (desc?.get) names.add(`${formatKey(key)} (getter)`);
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return [...names];
}

/**
 * An own property's descriptor, or undefined if reading it throws: an Error's lazy `stack`
 * is formatted when its descriptor is read, which runs its `name` and `message` getters.
 */
function descriptor(target: object, key: PropertyKey): PropertyDescriptor | undefined {
  try {
    return Object.getOwnPropertyDescriptor(target, key);
  } catch {
    return undefined;
  }
}
