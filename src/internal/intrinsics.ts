/**
 * The built-ins that the hooks core (and what it calls: validation, its helpers) uses,
 * captured when interleave loads. A user may hook any of them (`after(Array.prototype,
 * 'push', …)`, `after(Reflect, 'apply', …)`, `after(Promise.prototype, 'then', …)`): our own
 * calls must then neither recurse into the wrapper nor count, or fire, as the user's calls.
 * Methods are uncurried (`arrayPush(list, item)` calls the original `push` with `list` as
 * `this`), as Node's own `primordials` do; loops over arrays index them rather than use
 * their iterators, which a user may hook too.
 */
/* eslint-disable @typescript-eslint/unbound-method -- taken from their objects on purpose:
   each is called through `uncurryThis` with its receiver, or needs none. */

/** `fn` as a function of its receiver and arguments, bound to today's `Function.prototype.call`. */
const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as (
  fn: Function,
) => (self: unknown, ...args: unknown[]) => unknown;

export const {
  apply: reflectApply,
  construct: reflectConstruct,
  get: reflectGet,
  deleteProperty: reflectDeleteProperty,
  ownKeys: reflectOwnKeys,
} = Reflect;

export const {
  defineProperty: objectDefineProperty,
  getOwnPropertyDescriptor: objectGetOwnPropertyDescriptor,
  getPrototypeOf: objectGetPrototypeOf,
  setPrototypeOf: objectSetPrototypeOf,
  isExtensible: objectIsExtensible,
  hasOwn: objectHasOwn,
  keys: objectKeys,
} = Object;

export const arrayIsArray = Array.isArray;

/** `Object.prototype.toString.call(value)`: `[object AsyncFunction]`, `[object Module]`. */
export const objectToString = uncurryThis(Object.prototype.toString) as (value: unknown) => string;
/** `Object.prototype.isPrototypeOf.call(proto, value)`. */
export const objectIsPrototypeOf = uncurryThis(Object.prototype.isPrototypeOf) as (
  proto: object,
  value: unknown,
) => boolean;

/** `array.push(item)` (one item). */
export const arrayPush = uncurryThis(Array.prototype.push) as <T>(array: T[], item: T) => number;
export const arrayFilter = uncurryThis(Array.prototype.filter) as <T>(
  array: readonly T[],
  keep: (item: T, index: number) => boolean,
) => T[];
export const arrayMap = uncurryThis(Array.prototype.map) as <T, U>(
  array: readonly T[],
  map: (item: T, index: number) => U,
) => U[];
/** `array.slice()`: a copy. */
export const arraySlice = uncurryThis(Array.prototype.slice) as <T>(array: readonly T[]) => T[];
export const arrayForEach = uncurryThis(Array.prototype.forEach) as <T>(
  array: readonly T[],
  each: (item: T, index: number) => void,
) => void;
export const arrayIncludes = uncurryThis(Array.prototype.includes) as <T>(
  array: readonly T[],
  item: T,
) => boolean;
export const arrayJoin = uncurryThis(Array.prototype.join) as (
  array: readonly unknown[],
  separator: string,
) => string;

export const setAdd = uncurryThis(Set.prototype.add) as <T>(set: Set<T>, value: T) => Set<T>;
export const setHas = uncurryThis(Set.prototype.has) as <T>(
  set: ReadonlySet<T>,
  value: T,
) => boolean;
export const setDelete = uncurryThis(Set.prototype.delete) as <T>(set: Set<T>, value: T) => boolean;
/** `set.forEach(each)` (not its iterator, which a user may hook). */
export const setForEach = uncurryThis(Set.prototype.forEach) as <T>(
  set: ReadonlySet<T>,
  each: (value: T) => void,
) => void;

export const mapGet = uncurryThis(Map.prototype.get) as <K, V>(
  map: ReadonlyMap<K, V>,
  key: K,
) => V | undefined;
export const mapSet = uncurryThis(Map.prototype.set) as <K, V>(
  map: Map<K, V>,
  key: K,
  value: V,
) => Map<K, V>;
export const mapDelete = uncurryThis(Map.prototype.delete) as <K, V>(
  map: Map<K, V>,
  key: K,
) => boolean;

export const weakMapGet = uncurryThis(WeakMap.prototype.get) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
) => V | undefined;
export const weakMapSet = uncurryThis(WeakMap.prototype.set) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
  value: V,
) => WeakMap<K, V>;
export const weakMapHas = uncurryThis(WeakMap.prototype.has) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
) => boolean;

/** The Promise constructor as it was (a user may replace or hook the global). */
export const NativePromise = Promise;
/** `Promise.resolve(value)`. */
export const promiseResolve = Promise.resolve.bind(Promise) as <T>(value: T) => Promise<Awaited<T>>;
/** `Promise.reject(reason)`. */
export const promiseReject = Promise.reject.bind(Promise) as (reason: unknown) => Promise<never>;
/** `promise.then(onFulfilled, onRejected)` on a native promise. */
export const promiseThen = uncurryThis(Promise.prototype.then) as <T, R1 = T, R2 = never>(
  promise: Promise<T>,
  onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
  onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
) => Promise<R1 | R2>;

export const captureStackTrace = Error.captureStackTrace;
