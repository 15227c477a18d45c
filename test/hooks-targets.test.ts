import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { after, before, InterleaveError, restoreAll } from 'interleave';
import * as vitestNamespace from './fixtures/esm-module.mjs';

afterEach(() => {
  restoreAll();
});

const require = createRequire(import.meta.url);

class Account {
  static created = 0;
  balance = 0;
  static open(): Account {
    Account.created++;
    return new Account();
  }
  deposit(amount: number): number {
    this.balance += amount;
    return this.balance;
  }
}

class Savings extends Account {}

function descriptorOf(target: object, key: PropertyKey) {
  return Object.getOwnPropertyDescriptor(target, key);
}

describe('what can be hooked', () => {
  it('an instance: only that instance is affected, and the inherited method comes back', () => {
    const mine = new Account();
    const other = new Account();
    const seen: unknown[] = [];
    const hook = after(mine, 'deposit', ({ thisArg }) => seen.push(thisArg), { times: Infinity });

    mine.deposit(1);
    other.deposit(1);
    hook.restore();

    expect(seen).toEqual([mine]);
    expect(Object.hasOwn(mine, 'deposit')).toBe(false);
    expect(mine.deposit).toBe(Account.prototype.deposit);
  });

  it('Class.prototype: every instance, subclasses included', () => {
    const seen: number[] = [];
    after(Account.prototype, 'deposit', ({ result }) => seen.push(result as number), {
      times: Infinity,
    });

    new Account().deposit(2);
    new Savings().deposit(3);

    expect(seen).toEqual([2, 3]);
  });

  it('a static method, with `this` kept', () => {
    const log: string[] = [];
    before(Account, 'open', ({ thisArg }) => log.push(thisArg === Account ? 'on Account' : 'lost'));

    const account = Account.open();

    expect(account).toBeInstanceOf(Account);
    expect(log).toEqual(['on Account']);
  });

  it('a CommonJS module.exports object: code that calls through it sees the hook', () => {
    const mod = require('./fixtures/cjs-module.cjs') as {
      getCount(): number;
      setCount(n: number): void;
      increment(): void;
    };
    mod.setCount(0);
    after(mod, 'getCount', () => mod.increment());

    mod.increment();

    expect(mod.getCount()).toBe(1); // the nested increment's write was lost
  });

  it('an accessor-defined export, patched through its getter and restored to it', () => {
    const mod = require('./fixtures/cjs-module.cjs') as { readLive(): string };
    const original = descriptorOf(mod, 'readLive');
    const results: unknown[] = [];
    const hook = after(mod, 'readLive', ({ result }) => results.push(result));

    expect(typeof descriptorOf(mod, 'readLive')?.get).toBe('function');
    expect(mod.readLive()).toBe('live');
    hook.restore();

    expect(results).toEqual(['live']);
    expect(descriptorOf(mod, 'readLive')).toEqual(original);
  });

  it('a namespace object a runner made patchable (Vitest) is patched like any object', () => {
    const hook = after(vitestNamespace, 'getCount', () => undefined);

    expect(vitestNamespace.getCount()).toBe(1);
    expect(hook.fired).toBe(1);
  });

  it('a function called with `new` constructs the original', () => {
    const factory: { Account: new () => Account } = { Account };
    const log: string[] = [];
    after(factory, 'Account', ({ result }) => log.push(result instanceof Account ? 'made' : 'no'));

    const made = new factory.Account();

    expect(made).toBeInstanceOf(Account);
    expect(log).toEqual(['made']);
  });

  it('a hooked class stays that class: instanceof, statics, prototype, subclasses', () => {
    class Foo {
      static make(): string {
        return 'made';
      }
      hi(): string {
        return 'hi';
      }
    }
    const mod = { Foo };
    const hook = before(mod, 'Foo', () => undefined, { times: Infinity });

    const foo = new mod.Foo();
    class Sub extends mod.Foo {}

    expect(foo).toBeInstanceOf(mod.Foo);
    expect(foo).toBeInstanceOf(Foo);
    expect(mod.Foo.make()).toBe('made');
    expect(foo.hi()).toBe('hi');
    expect(new Sub().hi()).toBe('hi');
    expect(new Sub()).toBeInstanceOf(Foo);
    expect(hook.fired).toBe(3);
  });

  it('reads a getter and an inherited method with the receiver of the call', () => {
    const base = { impl: () => 'base' } as { impl: () => string; f: () => string };
    Object.defineProperty(base, 'f', {
      get(this: { impl: () => string }) {
        return this.impl;
      },
      configurable: true,
    });
    const child = Object.create(base) as typeof base;
    child.impl = () => 'child';
    before(base, 'f', () => undefined, { times: Infinity });

    expect(child.f()).toBe('child');
    expect(base.f()).toBe('base');
  });

  it('a symbol-keyed method', () => {
    const run = Symbol('run');
    const target = { [run]: () => 'ran' };
    const hook = before(target, run, () => undefined);

    expect(target[run]()).toBe('ran');
    expect(hook.fired).toBe(1);
  });

  it('keeps the name and length of the original', () => {
    const target = { deposit: Account.prototype.deposit };
    after(target, 'deposit', () => undefined, { unfired: 'ignore' });

    expect(target.deposit.name).toBe('deposit');
    expect(target.deposit.length).toBe(1);
  });
});

describe('restoring the exact original descriptor', () => {
  const cases: [string, PropertyDescriptor][] = [
    [
      'a writable enumerable data property',
      { value: () => 1, writable: true, enumerable: true, configurable: true },
    ],
    [
      'a non-enumerable one',
      { value: () => 1, writable: true, enumerable: false, configurable: true },
    ],
    [
      'a read-only but configurable one',
      { value: () => 1, writable: false, enumerable: true, configurable: true },
    ],
    [
      'a writable non-configurable one',
      { value: () => 1, writable: true, enumerable: true, configurable: false },
    ],
    ['a getter', { get: () => () => 1, enumerable: false, configurable: true }],
    [
      'a getter with a setter',
      { get: () => () => 1, set: () => undefined, enumerable: true, configurable: true },
    ],
  ];

  it.each(cases)('%s', (_name, descriptor) => {
    const target = {} as { run(): number };
    Object.defineProperty(target, 'run', descriptor);
    const before_ = descriptorOf(target, 'run');
    const results: unknown[] = [];
    const hook = after(target, 'run', ({ result }) => results.push(result), { times: Infinity });

    expect(target.run()).toBe(1);
    hook.restore();

    expect(results).toEqual([1]);
    expect(descriptorOf(target, 'run')).toEqual(before_);
  });

  it('an inherited method: the own property added in front of it is removed', () => {
    const proto = { run: () => 1 };
    const target = Object.create(proto) as typeof proto;
    const hook = before(target, 'run', () => undefined, { unfired: 'ignore' });

    expect(Object.hasOwn(target, 'run')).toBe(true);
    expect(Object.keys(target)).toEqual([]);
    hook.restore();

    expect(Object.hasOwn(target, 'run')).toBe(false);
  });

  it('after firing its last time, without an explicit restore', () => {
    const target = { run: () => 1 };
    const original = descriptorOf(target, 'run');
    after(target, 'run', () => undefined);

    target.run();

    expect(descriptorOf(target, 'run')).toEqual(original);
  });
});

describe('what cannot be hooked', () => {
  it('an ES module namespace: ERR_NOT_PATCHABLE pointing to interleave/register', () => {
    let error: unknown;
    try {
      after(nodePath, 'join', () => undefined);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InterleaveError);
    expect((error as InterleaveError).code).toBe('ERR_NOT_PATCHABLE');
    expect((error as Error).message).toMatchInlineSnapshot(
      `"after() cannot patch \`join\`: the target is an ES module namespace, whose exports are read-only live bindings that only their own module may change. To fix it, either run the tests with \`node --import interleave/register\` (node:test, Mocha: NODE_OPTIONS='--import interleave/register'; see node_modules/interleave/docs/esm.md) so that the exports of your own modules become patchable, or pass the object that holds the function and that the code under test calls through (e.g. export a \`db\` object and hook \`after(db, 'join', ...)\`)."`,
    );
    expect(nodePath.join('a', 'b')).toBe(`a${nodePath.sep}b`);
  });

  it('a frozen object', () => {
    const frozen = Object.freeze({ run: () => 1 });

    expect(() => before(frozen, 'run', () => undefined)).toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: before() cannot patch \`run\`: the property is read-only and non-configurable (a frozen object, or defined with writable: false). Hook the object that actually holds the function (for a class method, \`Class.prototype\`), or make the property configurable.]`,
    );
  });

  it('an inherited method on a non-extensible object', () => {
    const target = Object.preventExtensions(new Account());

    expect(() => after(target, 'deposit', () => undefined)).toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: after() cannot patch \`deposit\`: the method is inherited and the target is not extensible (frozen, sealed or preventExtensions), so no own property can be added in front of it. Hook the object that actually holds the function (for a class method, \`Class.prototype\`), or make the property configurable.]`,
    );
  });

  it('a re-export defined by a non-configurable getter', () => {
    const mod = require('./fixtures/cjs-module.cjs') as { reexported(): number };

    expect(() => after(mod, 'reexported', () => undefined)).toThrowErrorMatchingInlineSnapshot(
      `[InterleaveError: after() cannot patch \`reexported\`: the property is a non-configurable getter (how TypeScript, Babel and esbuild re-export from another CommonJS module); patch the module that defines the function instead. Hook the object that actually holds the function (for a class method, \`Class.prototype\`), or make the property configurable.]`,
    );
  });

  it('leaves nothing patched when installing fails', () => {
    const frozen = Object.freeze({ run: () => 1 });
    const run = frozen.run;

    expect(() => after(frozen, 'run', () => undefined)).toThrow(InterleaveError);
    restoreAll();

    expect(frozen.run).toBe(run);
  });
});

describe('hooking the same method again after a restore', () => {
  it('reuses nothing once the property was replaced: the new function is hooked', () => {
    const api = { read: () => 'first' };
    const first = api.read;
    before(api, 'read', () => undefined, { unfired: 'ignore' }).restore();
    const second = () => 'second';
    api.read = second;
    const seen: string[] = [];

    using _hook = after(api, 'read', ({ result }) => {
      seen.push(String(result));
    });
    api.read();

    expect(seen).toEqual(['second']);
    expect(first()).toBe('first');
  });

  it('puts the exact original descriptor back every time', () => {
    const api = {};
    Object.defineProperty(api, 'read', {
      value: () => 1,
      writable: false,
      enumerable: false,
      configurable: true,
    });
    const original = Object.getOwnPropertyDescriptor(api, 'read');

    for (let i = 0; i < 3; i++)
      before(api as { read(): number }, 'read', () => undefined, { unfired: 'ignore' }).restore();

    expect(Object.getOwnPropertyDescriptor(api, 'read')).toEqual(original);
  });
});
