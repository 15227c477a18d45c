/**
 * Hostile values for the fuzz test of every public function (test/fuzz.test.ts): what user
 * code may hand us or throw at us. Each is made fresh by a factory (a Proxy revoked in one run
 * must not leak into another).
 */
import fc from 'fast-check';

/**
 * What the hostile values throw themselves (a trap, a getter): when a user callback or value
 * of ours throws it, it must reach the user as it is.
 */
export class HostileError extends Error {
  override readonly name = 'HostileError';
}

const throwing = (what: string) => () => {
  throw new HostileError(`trap: ${what}`);
};

/** A Proxy every one of whose traps throws. */
function trapProxy<T extends object>(target: T): T {
  const traps = [
    'get',
    'set',
    'has',
    'ownKeys',
    'getOwnPropertyDescriptor',
    'defineProperty',
    'deleteProperty',
    'getPrototypeOf',
    'setPrototypeOf',
    'isExtensible',
    'preventExtensions',
    'apply',
    'construct',
  ] as const;
  const handler: ProxyHandler<T> = {};
  for (const trap of traps) (handler as Record<string, unknown>)[trap] = throwing(trap);
  return new Proxy(target, handler);
}

function revoked<T extends object>(target: T): T {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

function oddErrors(): Record<string, () => unknown> {
  return {
    'Error with a numeric message': () => Object.assign(new Error('x'), { message: 42 }),
    'Error with a throwing message getter': () =>
      Object.defineProperty(new Error('x'), 'message', { get: throwing('message') }),
    'Error with a Symbol name': () => Object.assign(new Error('x'), { name: Symbol('odd') }),
    "Error with code 'constructor'": () => Object.assign(new Error('x'), { code: 'constructor' }),
    'Error with code __proto__': () =>
      Object.defineProperty(new Error('x'), 'code', { value: '__proto__' }),
    'Error whose cause is itself': () => {
      const error = new Error('cyclic');
      (error as { cause?: unknown }).cause = error;
      return error;
    },
    'Proxy of an Error with throwing traps': () => trapProxy(new Error('x')),
    'revoked Proxy of an Error': () => revoked(new Error('x')),
    'Error with a throwing stack getter': () =>
      Object.defineProperty(new Error('x'), 'stack', { get: throwing('stack') }),
  };
}

/** `items` with a hole at `index` (what `[f, , g]` makes). */
function withHole(items: unknown[], index: number): unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-array-delete, @typescript-eslint/no-dynamic-delete -- a hole is the point
  delete items[index];
  return items;
}

/** Every hostile value, by what it is. */
export function hostileFactories(): Record<string, () => unknown> {
  const symbolNamed = () => undefined;
  Object.defineProperty(symbolNamed, 'name', { value: Symbol('fn') });
  return {
    undefined: () => undefined,
    null: () => null,
    NaN: () => Number.NaN,
    '-0': () => -0,
    Infinity: () => Infinity,
    '2^31': () => 2 ** 31,
    '2^32 - 1': () => 2 ** 32 - 1,
    'empty string': () => '',
    'a long string with an emoji at 40': () => `${'x'.repeat(39)}😀${'y'.repeat(200)}`,
    Symbol: () => Symbol('hostile'),
    BigInt: () => 10n,
    'empty array': () => [],
    'array of holes': () => new Array<unknown>(2),
    'functions with a hole': () => withHole([() => 1, () => 0, () => 2], 1),
    'array of length 2^32 - 1': () => new Array<unknown>(2 ** 32 - 1),
    'array-like of length 2^32 - 1': () => ({ length: 2 ** 32 - 1 }),
    'null-prototype object': () => Object.create(null) as object,
    'frozen object': () => Object.freeze({ m() {} }),
    'object with a throwing getter': () => ({
      get timeout() {
        throw new HostileError('getter');
      },
      get tasks() {
        throw new HostileError('getter');
      },
    }),
    'object whose toString throws': () => ({ toString: throwing('toString') }),
    'object whose Symbol.toPrimitive throws': () => ({
      [Symbol.toPrimitive]: throwing('toPrimitive'),
    }),
    'Proxy with throwing traps': () => trapProxy({}),
    'revoked Proxy': () => revoked({}),
    'Proxy of a function with throwing traps': () => trapProxy(() => 1),
    'revoked Proxy of a function': () => revoked(() => 1),
    'function named by a Symbol': () => symbolNamed,
    'async function': () => async () => 1,
    class: () =>
      class Thing {
        readonly kind = 'thing';
      },
    'thenable whose then throws': () => ({ then: throwing('then') }),
    ...oddErrors(),
  };
}

/** A value and what it is; fast-check prints only the label (printing a trap Proxy throws). */
export interface Labelled {
  readonly label: string;
  readonly value: unknown;
}

export function labelled(label: string, value: unknown): Labelled {
  const made: Labelled = { label, value };
  return Object.assign(made, { [fc.toStringMethod]: () => label });
}

/** An arbitrary hostile value (a fresh one each time), labelled for shrunk counterexamples. */
export function hostile(): fc.Arbitrary<Labelled> {
  const factories = hostileFactories();
  return fc
    .constantFrom(...Object.keys(factories))
    .map((label) => labelled(label, (factories[label] as () => unknown)()));
}

/** What a task may do: return, throw a hostile value, or reject with one. */
export function hostileTask(): fc.Arbitrary<Labelled> {
  const factories = hostileFactories();
  const thrown = fc.constantFrom(...Object.keys(factories));
  return fc.oneof(
    fc.constant(labelled('returns 1', () => 1)),
    thrown.map((label) =>
      labelled(`throws ${label}`, () => {
        throw (factories[label] as () => unknown)();
      }),
    ),
    thrown.map((label) =>
      labelled(`rejects with ${label}`, async () => {
        throw (factories[label] as () => unknown)();
      }),
    ),
  );
}
