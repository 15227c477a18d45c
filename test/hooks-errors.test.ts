import { afterEach, describe, expect, it } from 'vitest';
import { after, before, restoreAll } from 'interleave';

afterEach(() => {
  restoreAll();
});

/** Calls the API the way a JavaScript caller could, bypassing the compile-time types. */
const untypedAfter = after as (...args: unknown[]) => unknown;
const untypedBefore = before as (...args: unknown[]) => unknown;

const db = {
  count: 0,
  getCount() {
    return this.count;
  },
  setCount(n: number) {
    this.count = n;
  },
};

describe('bad target', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'a number (42)'],
    ['db', 'a string ("db")'],
  ])('rejects %s', (target, described) => {
    expect(() => untypedAfter(target, 'getCount', () => undefined)).toThrow(
      new TypeError(
        `Expected \`target\` (the first argument of after()) to be the object or function that holds the method to hook, got ${described}. Pass e.g. an instance, \`Class.prototype\`, a class (for a static method) or a module's exports object.`,
      ),
    );
  });
});

describe('bad key', () => {
  it('rejects a non-string key', () => {
    expect(() => untypedBefore(db, 3, () => undefined)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`key\` (the second argument of before()) to be the method's name as a string or symbol, got a number (3). Write e.g. before(db, 'getCount', hook).]`,
    );
  });

  it('rejects a name that is not a function on the target, listing the ones that are', () => {
    expect(() => untypedAfter(db, 'getCont', () => undefined)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`getCont\` to be a function on the target, got undefined. Functions on the target: getCount, setCount. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).]`,
    );
  });

  it('rejects a data property that is not a function', () => {
    expect(() => untypedAfter(db, 'count', () => undefined)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`count\` to be a function on the target, got a number (0). Functions on the target: getCount, setCount. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).]`,
    );
  });

  it('names getter-defined exports too, without calling them', () => {
    const exportsObject = {};
    Object.defineProperty(exportsObject, 'getCount', {
      get: () => () => 1,
      enumerable: true,
      configurable: true,
    });

    expect(() => untypedAfter(exportsObject, 'getCont', () => undefined)).toThrow(
      'Functions on the target: getCount (getter).',
    );
  });

  it('names inherited methods of a class instance', () => {
    class Store {
      load() {
        return 1;
      }
    }

    expect(() => untypedAfter(new Store(), 'lod', () => undefined)).toThrow(
      'Functions on the target: load.',
    );
  });
});

describe('bad hook', () => {
  it('rejects a missing hook', () => {
    expect(() => untypedAfter(db, 'getCount')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`hook\` (the third argument of after(target, 'getCount', hook)) to be a function, got undefined. Pass the code to run, e.g. () => increment().]`,
    );
  });

  it('rejects a promise passed instead of a function', () => {
    expect(() =>
      untypedBefore(db, 'getCount', Promise.resolve()),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`hook\` (the third argument of before(target, 'getCount', hook)) to be a function, got a promise (the result of calling a function?). Pass the code to run, e.g. () => increment().]`,
    );
  });
});

describe('bad options', () => {
  const hook = () => undefined;

  it('rejects options that are not an object', () => {
    expect(() => untypedAfter(db, 'getCount', hook, 2)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options\` (the fourth argument of after()) to be an object such as { times: 2 }, got a number (2). Leave it out for the defaults.]`,
    );
  });

  it('rejects an unknown option, which is usually a typo', () => {
    expect(() =>
      untypedAfter(db, 'getCount', hook, { time: 2 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Unknown option \`time\` in the options of after(): expected only \`times\`, \`when\`, \`skip\`, \`timeout\`, \`unfired\`. Check the spelling.]`,
    );
  });

  it.each([0, -1, 1.5, Number.NaN, '2', -Infinity])('rejects times: %s', (times) => {
    expect(() => untypedAfter(db, 'getCount', hook, { times })).toThrow(
      /^Expected `options\.times` of after\(\) to be a whole number of at least 1, or Infinity for every call, got .+\. Leave it out to fire once\.$/,
    );
  });

  it('says what times was received', () => {
    expect(() =>
      untypedAfter(db, 'getCount', hook, { times: 0 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.times\` of after() to be a whole number of at least 1, or Infinity for every call, got a number (0). Leave it out to fire once.]`,
    );
  });

  it.each([-1, 0.5, Infinity, Number.NaN, '1'])('rejects skip: %s', (skip) => {
    expect(() => untypedBefore(db, 'getCount', hook, { skip })).toThrow(TypeError);
  });

  it('says what skip was received', () => {
    expect(() =>
      untypedBefore(db, 'getCount', hook, { skip: -1 }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.skip\` of before() to be a whole number of at least 0 (how many matching calls to let through first), got a number (-1). Leave it out for the default (0).]`,
    );
  });

  it('rejects a when that is not a function', () => {
    expect(() =>
      untypedAfter(db, 'getCount', hook, { when: true }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.when\` of after() to be a function (call) => boolean, got a boolean (true). Leave it out to match every call.]`,
    );
  });

  it.each([0, -5, Number.NaN, -Infinity, 2 ** 31, '100'])('rejects timeout: %s', (timeout) => {
    expect(() => untypedAfter(db, 'getCount', hook, { timeout })).toThrow(
      /^Expected `options\.timeout` of after\(\) to be (a positive, finite number of milliseconds \(how long a call waits for a promise the hook returned\), or Infinity for no bound|at most 2147483647 ms \(about 24\.8 days\)), got .+\. Leave it out for the default \(1000 ms\)\.$/,
    );
  });

  it('says what timeout was received, and accepts the largest one and Infinity', () => {
    expect(() =>
      untypedBefore(db, 'getCount', hook, { timeout: -Infinity }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.timeout\` of before() to be a positive, finite number of milliseconds (how long a call waits for a promise the hook returned), or Infinity for no bound, got a number (-Infinity). Leave it out for the default (1000 ms).]`,
    );
    expect(() =>
      after(db, 'getCount', hook, { timeout: 2 ** 31 - 1, unfired: 'ignore' }),
    ).not.toThrow();
    expect(() =>
      after(db, 'getCount', hook, { timeout: Infinity, unfired: 'ignore' }),
    ).not.toThrow();
  });

  it.each(['warning', true, null, 'THROW'])('rejects unfired: %s', (unfired) => {
    expect(() => untypedAfter(db, 'getCount', hook, { unfired })).toThrow(TypeError);
  });

  it('says what unfired was received', () => {
    expect(() =>
      untypedAfter(db, 'getCount', hook, { unfired: 'warning' }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.unfired\` of after() to be one of 'warn', 'throw', 'ignore' (what to do when the hook is restored without ever firing), got a string ("warning"). Leave it out to warn.]`,
    );
  });

  it('accepts explicit undefined values and leaves nothing installed after a rejection', () => {
    const original = db.getCount;
    expect(() => untypedAfter(db, 'getCount', hook, { times: -1 })).toThrow(TypeError);
    expect(db.getCount).toBe(original);

    const accepted = after(db, 'getCount', hook, {
      times: undefined,
      skip: undefined,
      when: undefined,
      timeout: undefined,
      unfired: undefined,
    } as never);

    expect(accepted.active).toBe(true);
    db.getCount();
    expect(accepted.fired).toBe(1);
  });
});
