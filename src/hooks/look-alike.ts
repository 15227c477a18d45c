import {
  objectDefineProperty,
  objectGetOwnPropertyDescriptor,
  objectSetPrototypeOf,
} from '../internal/intrinsics.ts';

/**
 * Makes the wrapper look like the original to `instanceof`, subclasses and static members
 * (its prototype chain and `prototype`), and to `name` and `length`: a hooked class must
 * stay the class it was while hooked.
 */
export function lookLike(wrapper: Function, original: Function): void {
  objectSetPrototypeOf(wrapper, original);
  try {
    objectDefineProperty(wrapper, 'name', { value: original.name, configurable: true });
    objectDefineProperty(wrapper, 'length', { value: original.length, configurable: true });
    const prototype = objectGetOwnPropertyDescriptor(original, 'prototype');
    if (prototype && 'value' in prototype) {
      objectDefineProperty(wrapper, 'prototype', { value: prototype.value as unknown });
    }
  } catch {
    // A Proxy whose traps throw, as the method: it is still called through its `apply`.
  }
}
