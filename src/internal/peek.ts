/**
 * Looking at a value without running its code: whether it is a Proxy (and a revoked one),
 * the name of its class, an own data property. Messages about a value the user passed by
 * mistake must never run a Proxy trap, a getter or a `toString` of it: any of those may
 * throw, and the user would get that instead of the message.
 */
import { types } from 'node:util';
import { arrayIsArray } from './intrinsics.ts';

/** Captured like the other built-ins (see intrinsics.ts): a test may hook `types.isProxy`. */
const { isProxy: proxyCheck } = types;

/** True for a Proxy, revoked or not (Node asks the engine: no trap runs). */
export function isProxy(value: unknown): value is object {
  return proxyCheck(value);
}

/**
 * True for a revoked Proxy (or a Proxy of one). `Array.isArray` is the one operation that
 * looks through a Proxy without a trap, and it throws on a revoked one.
 */
export function isRevokedProxy(value: unknown): boolean {
  if (!proxyCheck(value)) return false;
  try {
    arrayIsArray(value);
    return false;
  } catch {
    return true;
  }
}

/** `Array.isArray` that is false for a revoked Proxy instead of throwing. */
export function isArray(value: unknown): value is unknown[] {
  return !isRevokedProxy(value) && arrayIsArray(value);
}

/** The value of `target`'s own data property `key` if it is a string; getters are not run. */
export function ownString(target: object, key: string): string | undefined {
  if (types.isProxy(target)) return undefined;
  const value = Object.getOwnPropertyDescriptor(target, key)?.value as unknown;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The name of the class `value` is an instance of, or undefined for plain objects (also
 * those without a prototype). Reads descriptors only: a throwing `constructor` getter is
 * skipped, not called; a Proxy in the prototype chain ends the search.
 */
export function className(value: object): string | undefined {
  if (types.isProxy(value)) return undefined;
  let proto = Object.getPrototypeOf(value) as object | null;
  while (proto !== null && proto !== Object.prototype && !types.isProxy(proto)) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    if (typeof ctor === 'function') {
      const name = ownString(ctor, 'name');
      if (name) return name;
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return undefined;
}

/**
 * Whether `value` has a `then` method, found by descriptors (own or inherited) without
 * running a getter or a trap: what a message needs to ask "the result of calling a
 * function?". A `then` getter counts as no.
 */
export function hasThenMethod(value: unknown): boolean {
  let current: unknown = value;
  while (current !== null && (typeof current === 'object' || typeof current === 'function')) {
    if (types.isProxy(current)) return false;
    const desc = Object.getOwnPropertyDescriptor(current, 'then');
    if (desc !== undefined) return typeof desc.value === 'function';
    current = Object.getPrototypeOf(current);
  }
  return false;
}
