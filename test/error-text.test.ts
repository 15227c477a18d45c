import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/internal/describe.ts';
import { causeText, errorKind, errorLine, errorText } from '../src/internal/error-text.ts';
import { formatValue } from '../src/internal/format-value.ts';
import { serializeError } from '../src/parallel/workers/serialize-error.ts';

/** Counts the traps that ran: the texts of a thrown value must run none. */
const trapsRun = { count: 0 };

function trap(): never {
  trapsRun.count++;
  throw new Error('trap');
}

/** A getter that throws: an Error's own `name`, `message` and `code` may run, and lose. */
function throwing(): never {
  throw new Error('getter');
}

/** Every Proxy trap that reading a value could reach, each one throwing. */
const traps: ProxyHandler<object> = {
  get: trap,
  has: trap,
  ownKeys: trap,
  getPrototypeOf: trap,
  getOwnPropertyDescriptor: trap,
  apply: trap,
};

/** Thrown values that have broken error formatters, by what is odd about them. */
function hostileValues(): Record<string, unknown> {
  const coded = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
  const numbered = Object.assign(new Error('not found'), { code: 404 });
  const numericMessage = new Error();
  (numericMessage as { message: unknown }).message = 42;
  const throwingMessage = new Error('hidden');
  Object.defineProperty(throwingMessage, 'message', { get: throwing });
  const throwingEverything = new RangeError('hidden');
  for (const key of ['name', 'message', 'code']) {
    Object.defineProperty(throwingEverything, key, { get: throwing });
  }
  const symbolName = new Error('named by a symbol');
  (symbolName as { name: unknown }).name = Symbol('odd');
  class LedgerError extends Error {
    override readonly name = '';
  }
  const revocable = Proxy.revocable(new Error('revoked'), {});
  revocable.revoke();
  const onProxy = Object.create(new Proxy(Error.prototype, traps)) as object;
  const first = new Error('first');
  const second = new Error('second', { cause: first });
  first.cause = second;
  return {
    'an Error': new TypeError('boom'),
    'a code': coded,
    'a numeric code': numbered,
    'a multi-line message': new Error('expected 1\n\n- Expected\n+ Received'),
    'a message that starts on line 2': new Error('\nexpected 2 to be 3'),
    'no message': new Error(),
    'a number as message': numericMessage,
    'a throwing message getter': throwingMessage,
    'throwing name, message and code getters': throwingEverything,
    'a Symbol name': symbolName,
    'an empty name': new LedgerError('out of balance'),
    'a Proxy of an Error': new Proxy(new Error('behind a proxy'), traps),
    'a revoked Proxy': revocable.proxy,
    'a Proxy on the prototype chain': onProxy,
    'cyclic causes': first,
    null: null,
    undefined: undefined,
    'a string': 'a plain string',
    'a symbol': Symbol('thrown'),
    'an object with a throwing toString': { id: 1, toString: throwing },
    'an object with a throwing getter': {
      get id(): number {
        return throwing();
      },
    },
  };
}

describe('the texts of a thrown value', () => {
  it('summarize anything in one line, never throwing and running no Proxy trap', () => {
    trapsRun.count = 0;
    const lines = Object.entries(hostileValues()).map(([what, v]) => `${what}: ${errorLine(v)}`);

    expect(lines).toMatchInlineSnapshot(`
      [
        "an Error: TypeError: boom",
        "a code: Error [ECONNREFUSED]: connection refused",
        "a numeric code: Error [404]: not found",
        "a multi-line message: Error: expected 1",
        "a message that starts on line 2: Error: expected 2 to be 3",
        "no message: Error",
        "a number as message: Error: 42",
        "a throwing message getter: Error",
        "throwing name, message and code getters: RangeError",
        "a Symbol name: Error: named by a symbol",
        "an empty name: LedgerError: out of balance",
        "a Proxy of an Error: thrown value Error: behind a proxy …",
        "a revoked Proxy: thrown value <Revoked Proxy>",
        "a Proxy on the prototype chain: thrown value {}",
        "cyclic causes: Error: first",
        "null: thrown value null",
        "undefined: thrown value undefined",
        "a string: thrown value 'a plain string'",
        "a symbol: thrown value Symbol(thrown)",
        "an object with a throwing toString: thrown value { id: 1, toString: [Function: throwing] }",
        "an object with a throwing getter: thrown value { id: [Getter] }",
      ]
    `);
    expect(trapsRun.count).toBe(0);
  });

  it('give the whole message where a report has room for it', () => {
    const values = hostileValues();
    const texts = ['a multi-line message', 'a code', 'a Proxy of an Error', 'cyclic causes'].map(
      (what) => errorText(values[what]),
    );

    expect(texts).toMatchInlineSnapshot(`
      [
        "Error: expected 1

      - Expected
      + Received",
        "Error [ECONNREFUSED]: connection refused",
        "thrown value Error: behind a proxy …",
        "Error: first",
      ]
    `);
  });

  it('tell failures apart by kind: name and code, or the type of a non-Error', () => {
    const kinds = Object.fromEntries(
      Object.entries(hostileValues()).map(([what, v]) => [what, errorKind(v)]),
    );

    expect(kinds).toMatchInlineSnapshot(`
      {
        "a Proxy of an Error": "object",
        "a Proxy on the prototype chain": "object",
        "a Symbol name": "Error",
        "a code": "Error [ECONNREFUSED]",
        "a message that starts on line 2": "Error",
        "a multi-line message": "Error",
        "a number as message": "Error",
        "a numeric code": "Error [404]",
        "a revoked Proxy": "object",
        "a string": "string",
        "a symbol": "symbol",
        "a throwing message getter": "Error",
        "an Error": "TypeError",
        "an empty name": "LedgerError",
        "an object with a throwing getter": "object",
        "an object with a throwing toString": "object",
        "cyclic causes": "Error",
        "no message": "Error",
        "null": "object",
        "throwing name, message and code getters": "RangeError",
        "undefined": "undefined",
      }
    `);
  });

  it("add a driver's detail and an assertion's expected and actual to the cause", () => {
    const deadlock = Object.assign(new Error('deadlock detected'), {
      name: 'error',
      code: '40P01',
      detail: 'Process 11 waits for ShareLock on transaction 7; blocked by process 12.',
    });
    const assertion = Object.assign(new Error('expected 1 to be 2'), {
      name: 'AssertionError',
      expected: 2,
      actual: 1,
    });
    const throwingFields = new Error('fields that throw');
    Object.defineProperty(throwingFields, 'expected', { get: throwing });
    Object.defineProperty(throwingFields, 'actual', { value: { [Symbol.for('x')]: 1 } });

    // util.inspect writes a symbol key as [Symbol(x)] on Node 20 and Symbol(x) on Node 24.
    const texts = [deadlock, assertion, throwingFields, 'a plain string'].map((value) =>
      causeText(value).replace('{ Symbol(x): 1 }', '{ [Symbol(x)]: 1 }'),
    );
    expect(texts).toMatchInlineSnapshot(`
      [
        "error [40P01]: deadlock detected
      Process 11 waits for ShareLock on transaction 7; blocked by process 12.",
        "AssertionError: expected 1 to be 2
      expected: 2
      actual:   1",
        "Error: fields that throw
      expected: undefined
      actual:   { [Symbol(x)]: 1 }",
        "thrown value 'a plain string'",
      ]
    `);
  });

  it('describe a thrown value as a received one, short', () => {
    const values = hostileValues();
    const long = new Error(`${'x'.repeat(100)}\nsecond line`);
    const described = [
      'an Error',
      'a Proxy of an Error',
      'a revoked Proxy',
      'throwing name, message and code getters',
    ].map((what) => describeValue(values[what]));

    expect([...described, describeValue(long)]).toMatchInlineSnapshot(`
      [
        "an error (TypeError: boom)",
        "a Proxy",
        "a revoked Proxy",
        "an error (RangeError)",
        "an error (Error: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...)",
      ]
    `);
  });

  it('draw a Proxy of an Error in a table cell on one line', () => {
    expect(formatValue(hostileValues()['a Proxy of an Error'], 60)).toBe('Error: behind a proxy …');
  });
});

describe('a thrown value taken apart to cross threads', () => {
  it('never throws, and follows a cyclic cause five levels deep', () => {
    trapsRun.count = 0;
    const serialized = Object.fromEntries(
      Object.entries(hostileValues()).map(([what, v]) => [what, serializeError(v)]),
    );

    let depth = 0;
    for (let e = serialized['cyclic causes']; e?.kind === 'error'; e = e.cause) depth++;
    expect(depth).toBe(6);
    expect(serialized['a Symbol name']).toMatchObject({ kind: 'error', name: 'Error' });
    expect(serialized['a number as message']).toMatchObject({ message: '42' });
    expect(serialized['a Proxy of an Error']).toEqual({
      kind: 'unclonable',
      description: 'Error: behind a proxy …',
    });
    expect(serialized['a revoked Proxy']).toEqual({
      kind: 'unclonable',
      description: '<Revoked Proxy>',
    });
    expect(serialized['a symbol']).toEqual({ kind: 'unclonable', description: 'Symbol(thrown)' });
    expect(trapsRun.count).toBe(0);
  });
});
