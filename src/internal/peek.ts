/**
 * Looking at a value without running its code: whether it is a Proxy (and a revoked one),
 * whether it has a `then` method (class names: `class-name.ts`). Messages about a value the user passed by
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
