import {
  objectGetPrototypeOf,
  objectIsExtensible,
  objectIsPrototypeOf,
  reflectApply,
  reflectGet,
} from '../internal/intrinsics.ts';
import { notPatchable } from './not-patchable.ts';

/**
 * How the wrapper stands in for a property, by the kind of property it is: an inherited
 * method (an own property is added in front of it), an own data property (its value is
 * swapped), or an own getter (a getter that returns the wrapper). `patch.ts` installs it.
 */
export interface Replacement {
  /** The descriptor to define in place of the property. */
  readonly descriptor: PropertyDescriptor;
  /**
   * Returns the function the wrapper stands for, read at call time (live for getters and
   * inherited methods), with the call's receiver when it is the target or inherits from it.
   */
  readonly resolve: (receiver: unknown) => Function;
  /** The original when it cannot change (an own data property): saves `resolve()` per call. */
  readonly constantOriginal: Function | undefined;
}

/**
 * The replacement of `target[key]` (whose own descriptor is `own`, undefined if inherited)
 * by `wrapper`; throws `ERR_NOT_PATCHABLE` for a property that cannot be replaced.
 */
export function replacementFor(
  target: object,
  key: PropertyKey,
  own: PropertyDescriptor | undefined,
  wrapper: Function,
  apiName: string,
): Replacement {
  if (own === undefined) {
    if (!objectIsExtensible(target)) {
      throw notPatchable(
        apiName,
        key,
        'the method is inherited and the target is not extensible (frozen, sealed or preventExtensions), so no own property can be added in front of it',
      );
    }
    const proto = objectGetPrototypeOf(target) as object;
    return {
      resolve: (receiver) => reflectGet(proto, key, receiverFor(target, receiver)) as Function,
      constantOriginal: undefined,
      descriptor: { value: wrapper, writable: true, enumerable: false, configurable: true },
    };
  }
  if ('value' in own) {
    if (own.configurable !== true && own.writable !== true) {
      throw notPatchable(
        apiName,
        key,
        'the property is read-only and non-configurable (a frozen object, or defined with writable: false)',
      );
    }
    const fn = own.value as Function;
    return { resolve: () => fn, constantOriginal: fn, descriptor: { ...own, value: wrapper } };
  }
  if (own.configurable !== true) {
    throw notPatchable(
      apiName,
      key,
      'the property is a non-configurable getter (how TypeScript, Babel and esbuild re-export from another CommonJS module); patch the module that defines the function instead',
    );
  }
  // The accessors are called with an explicit receiver, never detached from it.
  const { get, set } = own as { get: (this: unknown) => unknown; set?: (v: unknown) => void };
  const descriptor: PropertyDescriptor = {
    get: () => wrapper,
    enumerable: own.enumerable ?? false,
    configurable: true,
  };
  if (set) descriptor.set = set;
  return {
    resolve: (receiver) => reflectApply(get, receiverFor(target, receiver), []) as Function,
    constantOriginal: undefined,
    descriptor,
  };
}

/** The receiver to read a getter or inherited method with: the call's `this` if it is related. */
function receiverFor(target: object, receiver: unknown): unknown {
  if (receiver === target) return target;
  if (
    receiver !== null &&
    (typeof receiver === 'object' || typeof receiver === 'function') &&
    objectIsPrototypeOf(target, receiver)
  ) {
    return receiver;
  }
  return target;
}
