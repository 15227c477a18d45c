/**
 * Hooking the built-ins that interleave itself uses (issue #14, item 10): a hook on
 * `Array.prototype.push`, `Reflect.apply`, `Set.prototype.add`, `Promise.prototype.then`,
 * `Function.prototype.call` … must see exactly the calls the test makes, never ours (not
 * while hooks are made, called, fired or restored), never recurse, and restore exactly.
 *
 * Between installing the hook and restoring it, these tests run only synchronous code, and
 * none that uses the hooked built-in except the counted calls: the hook functions only bump
 * counters and write into preallocated slots.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { after, before, type CallInfo, restoreAll } from 'interleave';

afterEach(() => {
  restoreAll();
});

/** A built-in method, and one call of it as a test would make it (on a fresh receiver). */
interface Case {
  readonly target: object;
  readonly key: PropertyKey;
  /** Makes one call; returns the receiver (`this`) the hook must see. */
  readonly call: () => unknown;
}

const noop = (): void => undefined;
const sum = (a: number, b: number): number => a + b;
const settled = Promise.resolve(1);

/** A method of `target`, called by `use` on a fresh receiver from `make`. */
function method<T extends object>(
  target: object,
  key: PropertyKey,
  make: () => T,
  use: (receiver: T) => unknown,
): Case {
  return {
    target,
    key,
    call: () => {
      const receiver = make();
      use(receiver);
      return receiver;
    },
  };
}

const array = () => [1];
// Empty: `new Set([1])` would call `add` (and `new Map(entries)` `set`) itself.
const set = () => new Set<number>();
const map = () => new Map<number, number>();
const weakMap = () => new WeakMap<object, number>();

const cases: Record<string, Case> = {
  'Array.prototype.push': method(Array.prototype, 'push', array, (a) => a.push(1)),
  'Array.prototype.forEach': method(Array.prototype, 'forEach', array, (a) => {
    a.forEach(noop);
  }),
  'Array.prototype.map': method(Array.prototype, 'map', array, (a) => a.map(noop)),
  'Array.prototype.includes': method(Array.prototype, 'includes', array, (a) => a.includes(1)),
  'Array.prototype.indexOf': method(Array.prototype, 'indexOf', array, (a) => a.indexOf(1)),
  'Reflect.apply': method(
    Reflect,
    'apply',
    () => Reflect,
    (r) => r.apply(noop, undefined, []),
  ),
  'Set.prototype.add': method(Set.prototype, 'add', set, (s) => s.add(2)),
  'Set.prototype.has': method(Set.prototype, 'has', set, (s) => s.has(1)),
  'Set.prototype.delete': method(Set.prototype, 'delete', set, (s) => s.delete(1)),
  'Map.prototype.get': method(Map.prototype, 'get', map, (m) => m.get(1)),
  'Map.prototype.set': method(Map.prototype, 'set', map, (m) => m.set(2, 3)),
  'WeakMap.prototype.get': method(WeakMap.prototype, 'get', weakMap, (m) => m.get(noop)),
  'WeakMap.prototype.set': method(WeakMap.prototype, 'set', weakMap, (m) => m.set(noop, 1)),
  'Promise.prototype.then': method(
    Promise.prototype,
    'then',
    () => settled,
    (p) => p.then(noop),
  ),
  'Function.prototype.call': method(
    Function.prototype,
    'call',
    () => sum,
    (f) => f.call(0, 1, 2),
  ),
  'Function.prototype.apply': method(
    Function.prototype,
    'apply',
    () => sum,
    (f) => f.apply(0, [1, 2]),
  ),
};

/**
 * Uses the hooks machinery the way a test would, while the built-in is hooked: makes hooks
 * with and without options, fires them (one through its reentrancy guard, one with a
 * promise that the call waits for), reads `triggered`, restores them. (The built-in's own
 * hook is then restored by `restoreAll()`, while it is still installed.)
 */
function useInterleave(): Promise<unknown> {
  const service = {
    read: (x: number) => x,
    async load(x: number) {
      return x;
    },
  };
  const twice = after(service, 'read', noop, { times: 2, when: () => true });
  service.read(1);
  service.read(2);
  twice.restore();
  const once = before(service, 'read', noop);
  service.read(3);
  once.restore();
  const unfired = after(service, 'read', noop, { unfired: 'ignore' });
  void unfired.triggered;
  unfired.restore();
  const waiting = before(service, 'load', () => settled);
  const loaded = service.load(4);
  waiting.restore();
  return loaded;
}

const CALLS = 3;

/**
 * Hooks the case's built-in with `kind`, uses interleave meanwhile, makes `CALLS` calls, and
 * restores; returns what the hook saw and whether the property came back as it was.
 */
async function observe(kind: typeof before | typeof after, { target, key, call }: Case) {
  const original = Object.getOwnPropertyDescriptor(target, key);
  const expected: unknown[] = [undefined, undefined, undefined];
  const seen: unknown[] = [undefined, undefined, undefined, undefined, undefined];
  let fired = 0;
  const record = ({ thisArg }: CallInfo) => {
    if (fired < 5) seen[fired] = thisArg;
    fired++;
  };
  const hook = kind(target as Record<PropertyKey, Function>, key as never, record, {
    times: Infinity,
  });
  const firedAfterCreation = fired;
  let loaded: Promise<unknown> | undefined;
  let calls: number | undefined;
  try {
    loaded = useInterleave();
    for (let i = 0; i < CALLS; i++) expected[i] = call();
    calls = hook.calls;
  } finally {
    restoreAll();
  }
  await loaded;
  return {
    firedAfterCreation,
    calls,
    fired,
    seen: seen.slice(0, Math.max(fired, CALLS)),
    expected,
    restored: Object.getOwnPropertyDescriptor(target, key),
    original,
  };
}

describe('a hook on a built-in interleave uses sees only the calls of the test', () => {
  for (const [name, builtIn] of Object.entries(cases)) {
    for (const kind of [before, after]) {
      // An after() hook on `then` fires once the returned promise settles: that is below.
      if (kind === after && name === 'Promise.prototype.then') continue;
      it(`${kind.name}(${name})`, async () => {
        const result = await observe(kind, builtIn);

        expect(result.firedAfterCreation).toBe(0);
        expect(result.calls).toBe(CALLS);
        expect(result.fired).toBe(CALLS);
        expect(result.seen).toEqual(result.expected);
        for (let i = 0; i < CALLS; i++) expect(result.seen[i]).toBe(result.expected[i]);
        expect(result.restored).toEqual(result.original);
        expect(result.restored?.value).toBe(result.original?.value);
      });
    }
  }

  it('after(Promise.prototype, "then"): fires when each promise the test made settles', async () => {
    const original = Object.getOwnPropertyDescriptor(Promise.prototype, 'then');
    let fired = 0;
    // Once this test awaits, the runner calls `then` on promises of its own: `calls` is read
    // before that, and `when` keeps the firings to the promise the test calls `then` on.
    const hook = after(
      Promise.prototype,
      'then',
      () => {
        fired++;
      },
      { times: Infinity, when: ({ thisArg }) => thisArg === settled },
    );
    let calls: number | undefined;
    let results: unknown[] = [];
    try {
      const loaded = useInterleave();
      results = [settled.then(() => 1), settled.then(() => 2), loaded];
      calls = hook.calls;
    } finally {
      // The returned promises settle after their after() hooks ran: await them first (one
      // by one: `await` calls no `then` of a native promise, Promise.all would).
      for (const result of results) await result;
      restoreAll();
    }

    expect(calls).toBe(2);
    expect(fired).toBe(2);
    expect(Object.getOwnPropertyDescriptor(Promise.prototype, 'then')).toEqual(original);
  });
});

describe('the reports of issue #14', () => {
  it('after(Array.prototype, "push") then [].push(1): no stack overflow, the hook fires once', () => {
    let fired = 0;
    const hook = after(Array.prototype as { push(item: number): number }, 'push', () => {
      fired++;
    });
    const array: number[] = [];
    array.push(1);

    expect([fired, hook.active, array]).toEqual([1, false, [1]]);
  });

  it('after(Reflect, "apply") then Reflect.apply: no stack overflow', () => {
    const hook = after(Reflect, 'apply', noop);
    const result: unknown = Reflect.apply(sum, undefined, [1, 2]);

    expect([result, hook.fired]).toEqual([3, 1]);
  });

  it('after(Set.prototype, "add") does not fire during after() itself', () => {
    let receiver: unknown;
    const hook = after(Set.prototype, 'add', ({ thisArg }) => {
      receiver = thisArg;
    });
    const firedAtCreation = hook.fired;
    const mine = new Set<number>();
    mine.add(1);

    expect([firedAtCreation, hook.fired, receiver === mine]).toEqual([0, 1, true]);
  });
});
