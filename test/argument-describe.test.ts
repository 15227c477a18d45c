/**
 * Argument errors about values that are hard to print (issue #14, item 9): a Symbol-named
 * function, Errors with odd `name`/`message`, revoked Proxies, Proxies whose traps throw,
 * objects whose `toString`/`Symbol.toPrimitive`/`constructor` throw. Each must get our
 * ArgumentError, saying what the value is, never an internal TypeError of the describer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { after, ArgumentError, explore, restoreAll, runInParallel } from 'interleave';

afterEach(() => {
  restoreAll();
});

const explode = (): never => {
  throw new Error('trap exploded');
};
const trapsThatThrow = {
  get: explode,
  has: explode,
  ownKeys: explode,
  getPrototypeOf: explode,
  getOwnPropertyDescriptor: explode,
};

/** Fresh hostile values (a test may not share a revoked Proxy with another's restore). */
function hostile() {
  const symbolNamed = Object.defineProperty(() => undefined, 'name', { value: Symbol('x') });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const revokedFunction = Proxy.revocable(() => undefined, {});
  revokedFunction.revoke();
  return {
    symbolNamed,
    numericMessage: Object.defineProperty(new Error('x'), 'message', { value: 42 }),
    throwingMessage: Object.defineProperty(new Error('x'), 'message', { get: explode }),
    symbolName: Object.defineProperty(new Error('x'), 'name', { value: Symbol('n') }),
    revoked: revoked.proxy,
    revokedFunction: revokedFunction.proxy,
    throwingTraps: new Proxy({}, trapsThatThrow),
    throwingFunctionTraps: new Proxy(() => undefined, trapsThatThrow),
    throwingToString: { toString: explode, [Symbol.toPrimitive]: explode },
    throwingConstructor: Object.create(
      Object.defineProperty({}, 'constructor', { get: explode }),
    ) as object,
    throwingTag: Object.defineProperty({}, Symbol.toStringTag, { get: explode }),
  };
}

/** The message of the ArgumentError that `act` throws (or rejects with), or what went wrong. */
async function message(act: () => unknown): Promise<string> {
  try {
    await act();
  } catch (error) {
    if (error instanceof ArgumentError) return error.message;
    return `NOT AN ArgumentError: ${String(error)}`;
  }
  return 'NOTHING THROWN';
}

type Hostile = keyof ReturnType<typeof hostile>;

/** `message` for each hostile value but those `valid` there. */
async function messages(
  act: (value: unknown) => unknown,
  valid: readonly Hostile[] = [],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(hostile())) {
    if (!valid.includes(name as Hostile)) out[name] = await message(() => act(value));
  }
  return out;
}

const untyped = (fn: unknown) => fn as (...args: unknown[]) => unknown;

describe('hostile values as the hook of after()', () => {
  it('are described, not stringified', async () => {
    const target = { method() {} };
    const values = await messages(
      (value) => untyped(after)(target, 'method', value),
      ['symbolNamed', 'throwingFunctionTraps'],
    );

    expect(values).toMatchInlineSnapshot(`
      {
        "numericMessage": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got an error (Error: 42). Pass the code to run, e.g. () => increment().",
        "revoked": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got a revoked Proxy. Pass the code to run, e.g. () => increment().",
        "revokedFunction": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got a revoked Proxy. Pass the code to run, e.g. () => increment().",
        "symbolName": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got an error (Error: x). Pass the code to run, e.g. () => increment().",
        "throwingConstructor": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got an object ({}). Pass the code to run, e.g. () => increment().",
        "throwingMessage": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got an error (Error). Pass the code to run, e.g. () => increment().",
        "throwingTag": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got an object ({}). Pass the code to run, e.g. () => increment().",
        "throwingToString": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got an object ({ toString }). Pass the code to run, e.g. () => increment().",
        "throwingTraps": "Expected \`hook\` (the third argument of after(target, 'method', hook)) to be a function, got a Proxy. Pass the code to run, e.g. () => increment().",
      }
    `);
  });
});

describe('hostile values where after() expects the method', () => {
  it('are described, not stringified', async () => {
    const values = await messages(
      (value) => untyped(after)({ method: value }, 'method', () => undefined),
      ['symbolNamed', 'throwingFunctionTraps'],
    );

    expect(values).toMatchInlineSnapshot(`
      {
        "numericMessage": "Expected \`method\` to be a function on the target, got an error (Error: 42). Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "revoked": "Expected \`method\` to be a function on the target, got a revoked Proxy. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "revokedFunction": "Expected \`method\` to be a function on the target, got a revoked Proxy. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "symbolName": "Expected \`method\` to be a function on the target, got an error (Error: x). Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "throwingConstructor": "Expected \`method\` to be a function on the target, got an object ({}). Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "throwingMessage": "Expected \`method\` to be a function on the target, got an error (Error). Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "throwingTag": "Expected \`method\` to be a function on the target, got an object ({}). Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "throwingToString": "Expected \`method\` to be a function on the target, got an object ({ toString }). Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
        "throwingTraps": "Expected \`method\` to be a function on the target, got a Proxy. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method).",
      }
    `);
  });

  it('a revoked Proxy, or one whose traps throw, as the target', async () => {
    const { revoked, throwingTraps } = hostile();
    const hook = () => undefined;

    expect(await message(() => untyped(after)(revoked, 'method', hook))).toMatchInlineSnapshot(
      `"Expected \`target\` (the first argument of after()) to be the object or function that holds the method to hook, got a revoked Proxy. Pass e.g. an instance, \`Class.prototype\`, a class (for a static method) or a module's exports object."`,
    );
    expect(
      await message(() => untyped(after)(throwingTraps, 'method', hook)),
    ).toMatchInlineSnapshot(
      `"Expected \`method\` to be a function on the target, got nothing: reading it from a Proxy threw an error (Error: trap exploded)."`,
    );
  });

  it('an Error with a throwing message getter as the target: its functions are still listed', async () => {
    const { throwingMessage } = hostile();

    expect(
      // Node 24's errors have an own `stack` accessor; Node 20's do not.
      (await message(() => untyped(after)(throwingMessage, 'method', () => undefined))).replace(
        'stack (getter), ',
        '',
      ),
    ).toMatchInlineSnapshot(
      `"Expected \`method\` to be a function on the target, got undefined. Functions on the target: message (getter), toString. Check the name, and pass the object that holds the method (an instance, \`Class.prototype\` for all instances, or the class for a static method)."`,
    );
  });

  it('a method that is a Proxy whose traps throw is hooked and called through its target', () => {
    let calls = 0;
    const method = new Proxy(() => ++calls, trapsThatThrow);
    const target = { method };
    let fired = 0;

    const hook = after(target, 'method', () => {
      fired++;
    });
    target.method();
    hook.restore();

    expect([calls, fired, target.method === method]).toEqual([1, 1, true]);
  });
});

describe('hostile values as the options of after()', () => {
  it('are described, not stringified', async () => {
    // Errors and objects without enumerable keys are options objects with no options.
    const values = await messages(
      (value) => untyped(after)({ method() {} }, 'method', () => undefined, value),
      ['numericMessage', 'throwingMessage', 'symbolName', 'throwingConstructor', 'throwingTag'],
    );

    expect(values).toMatchInlineSnapshot(`
      {
        "revoked": "Expected \`options\` (the fourth argument of after()) to be an object such as { times: 2 }, got a revoked Proxy. Leave it out for the defaults.",
        "revokedFunction": "Expected \`options\` (the fourth argument of after()) to be an object such as { times: 2 }, got a revoked Proxy. Leave it out for the defaults.",
        "symbolNamed": "Expected \`options\` (the fourth argument of after()) to be an object such as { times: 2 }, got a function. Leave it out for the defaults.",
        "throwingFunctionTraps": "Expected \`options\` (the fourth argument of after()) to be an object such as { times: 2 }, got a Proxy of a function. Leave it out for the defaults.",
        "throwingToString": "Unknown option \`toString\` in the options of after(): expected only \`times\`, \`when\`, \`skip\`, \`timeout\`, \`unfired\`. Check the spelling.",
        "throwingTraps": "Expected \`options\` (the fourth argument of after()) to be an object such as { times: 2 }, got a Proxy that threw an error (Error: trap exploded) when read.",
      }
    `);
  });

  it('keeps what a throwing trap threw as the cause', async () => {
    const { throwingTraps } = hostile();
    const error = await (async () => {
      try {
        untyped(after)({ method() {} }, 'method', () => undefined, throwingTraps);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();

    expect((error?.cause as Error | undefined)?.message).toBe('trap exploded');
  });
});

describe('hostile values as a task of runInParallel()', () => {
  it('are described, not stringified', async () => {
    const {
      numericMessage,
      throwingMessage,
      symbolName,
      throwingToString,
      throwingConstructor,
      throwingTag,
    } = hostile();
    const values = {
      numericMessage: await message(() => untyped(runInParallel)(numericMessage)),
      throwingMessage: await message(() => untyped(runInParallel)(throwingMessage)),
      symbolName: await message(() => untyped(runInParallel)(symbolName)),
      throwingToString: await message(() => untyped(runInParallel)(throwingToString)),
      throwingConstructor: await message(() => untyped(runInParallel)(throwingConstructor)),
      throwingTag: await message(() => untyped(runInParallel)(throwingTag)),
      options: await message(() =>
        untyped(runInParallel)([() => undefined], hostile().throwingTraps),
      ),
    };

    expect(values).toMatchInlineSnapshot(`
      {
        "numericMessage": "Expected task 0 of runInParallel() to be a function (runner) => ..., got an error (Error: 42).",
        "options": "Expected \`options\` (the second argument of runInParallel()) to be an object such as { timeout: 1000 }, got a Proxy that threw an error (Error: trap exploded) when read.",
        "symbolName": "Expected task 0 of runInParallel() to be a function (runner) => ..., got an error (Error: x).",
        "throwingConstructor": "Expected task 0 of runInParallel() to be a function (runner) => ..., got an object ({}).",
        "throwingMessage": "Expected task 0 of runInParallel() to be a function (runner) => ..., got an error (Error).",
        "throwingTag": "Expected task 0 of runInParallel() to be a function (runner) => ..., got an object ({}).",
        "throwingToString": "Expected task 0 of runInParallel() to be a function (runner) => ..., got an object ({ toString }).",
      }
    `);
  });
});

describe('hostile values in the spec of explore()', () => {
  it('as `tasks`', async () => {
    expect(await messages((value) => explore({ tasks: value } as never))).toMatchInlineSnapshot(`
      {
        "numericMessage": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got an error (Error: 42). Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "revoked": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got a revoked Proxy. Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "revokedFunction": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got a revoked Proxy. Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "symbolName": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got an error (Error: x). Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "symbolNamed": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got a function. Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "throwingConstructor": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got an object ({}). Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "throwingFunctionTraps": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got a Proxy of a function. Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "throwingMessage": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got an error (Error). Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "throwingTag": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got an object ({}). Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "throwingToString": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got an object ({ toString }). Pass the concurrent operations, e.g. tasks: [increment, increment].",
        "throwingTraps": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got a Proxy. Pass the concurrent operations, e.g. tasks: [increment, increment].",
      }
    `);
  });

  it('as the spec', async () => {
    const { revoked, throwingTraps, symbolNamed } = hostile();

    expect({
      revoked: await message(() => explore(revoked as never)),
      throwingTraps: await message(() => explore(throwingTraps as never)),
      symbolNamed: await message(() => explore(symbolNamed as never)),
      arrayTraps: await message(() =>
        explore({ tasks: new Proxy([() => undefined], { get: explode }) }),
      ),
    }).toMatchInlineSnapshot(`
      {
        "arrayTraps": "Expected \`tasks\` of explore() to be a non-empty array of functions (ctx) => ..., got a Proxy of an array that threw an error (Error: trap exploded) when read.",
        "revoked": "Expected \`spec\` (the argument of explore()) to be an object such as { tasks: [taskA, taskB] }, got a revoked Proxy.",
        "symbolNamed": "Expected \`spec\` (the argument of explore()) to be an object such as { tasks: [taskA, taskB] }, got a function.",
        "throwingTraps": "Expected \`spec\` (the argument of explore()) to be an object such as { tasks: [taskA, taskB] }, got a Proxy that threw an error (Error: trap exploded) when read.",
      }
    `);
  });
});
