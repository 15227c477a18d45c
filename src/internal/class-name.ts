/**
 * The class of an object, read from property descriptors only: no getter runs, no Proxy trap
 * (a Proxy on the prototype chain ends the search).
 */
import { types } from 'node:util';

/**
 * The name of the class `value` is an instance of, or undefined for plain objects (also those
 * without a prototype). A throwing `constructor` getter is skipped, not called.
 */
export function className(value: object): string | undefined {
  let proto = prototypeOf(value);
  while (proto !== null && proto !== Object.prototype && !types.isProxy(proto)) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    if (typeof ctor === 'function') {
      const name = ownString(ctor, 'name');
      if (name) return name;
    }
    proto = prototypeOf(proto);
  }
  return undefined;
}

/** `value instanceof` the class of `proto`, asked without running a Proxy's trap. */
export function inheritsFrom(value: object, proto: object): boolean {
  for (let current = prototypeOf(value); current !== null; current = prototypeOf(current)) {
    if (current === proto) return true;
  }
  return false;
}

/** `target[key]` when it is an own data property holding a string. */
export function ownString(target: object, key: string): string | undefined {
  if (types.isProxy(target)) return undefined;
  const value = Object.getOwnPropertyDescriptor(target, key)?.value as unknown;
  return typeof value === 'string' ? value : undefined;
}

/** The prototype of `value`, or null when asking would run a Proxy's trap. */
export function prototypeOf(value: object): object | null {
  return types.isProxy(value) ? null : (Object.getPrototypeOf(value) as object | null);
}
