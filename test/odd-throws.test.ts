/**
 * A task that throws an odd value (an Error whose `message` is a number or a throwing getter,
 * a Symbol `name`, a Proxy whose traps throw, a revoked Proxy, null, undefined, a Symbol) is
 * reported as what it is: by runInParallel (never an unhandled rejection from our formatting,
 * never pending), by runInWorkers (the value itself when it can cross threads, described when
 * it cannot, never a crash report instead), and by explore (a RaceError whose cause it is).
 */
import { describe, expect, it } from 'vitest';
import { BarrierError, checkpoint, explore, runInParallel, runInWorkers } from 'interleave';
import { failure } from './support/failure.ts';
import { raceOf } from './support/explore.ts';

const trap = () => {
  throw new Error('trap');
};

/** Each odd value, made fresh. */
const ODD: Record<string, () => unknown> = {
  'numeric message': () => Object.defineProperty(new Error('x'), 'message', { value: 42 }),
  'throwing message': () =>
    Object.defineProperty(new RangeError('x'), 'message', {
      get: () => {
        throw new Error('the message getter throws');
      },
    }),
  'symbol name': () =>
    Object.defineProperty(new Error('named by a symbol'), 'name', { value: Symbol('odd') }),
  'throwing proxy': () =>
    new Proxy(
      {},
      { get: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap },
    ),
  'revoked proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  null: () => null,
  undefined: () => undefined,
  symbol: () => Symbol('thrown'),
};
const kinds = Object.keys(ODD);
const make = (kind: string) => (ODD[kind] as () => unknown)();

describe('runInParallel', () => {
  it.each(kinds)(
    'a task that throws %s: a ParallelError with that value, the barrier says so',
    async (kind) => {
      const thrown = make(kind);

      const error = await failure(
        runInParallel(
          async (runner) => {
            await runner.await('ready');
          },
          () => {
            throw thrown;
          },
        ),
      );

      expect(error.failures.map((f) => f.index)).toEqual([0, 1]);
      expect(Object.is(error.failures[1]?.error, thrown)).toBe(true);
      expect(Object.is(error.cause, thrown)).toBe(true);
      expect(error.failures[0]?.error).toBeInstanceOf(BarrierError);
      expect(error.message.split('\n')[0]).toBe('2 of 2 tasks failed:');
    },
  );

  it('says what each was, on one line', async () => {
    const lines = [];
    for (const kind of kinds) {
      const error = await failure(runInParallel(() => Promise.reject(make(kind))));
      lines.push(error.message.split('\n')[1]);
    }

    expect(lines).toMatchInlineSnapshot(`
      [
        "  task 0 (failed first): Error: 42",
        "  task 0 (failed first): RangeError",
        "  task 0 (failed first): Error: named by a symbol",
        "  task 0 (failed first): thrown value {}",
        "  task 0 (failed first): thrown value <Revoked Proxy>",
        "  task 0 (failed first): thrown value null",
        "  task 0 (failed first): thrown value undefined",
        "  task 0 (failed first): thrown value Symbol(thrown)",
      ]
    `);
  });
});

describe('runInWorkers', () => {
  const url = new URL('./fixtures/worker-odd-throws.mjs', import.meta.url);

  /** What arrived in the main thread, for a snapshot: the class and message, or the value. */
  function arrived(result: PromiseSettledResult<unknown>): string {
    const reason: unknown = (result as PromiseRejectedResult).reason;
    if (reason instanceof Error) return `${reason.constructor.name}: ${reason.message}`;
    return `the value ${String(reason)}`;
  }

  it.each([
    ['thrown', 'throwOdd'],
    ['thrown later, uncaught in the thread', 'throwOddLater'],
  ])(
    '%s: the value itself when it can cross threads, else described (never a crash report)',
    async (_, task) => {
      const results = await runInWorkers(url, {
        tasks: kinds.map(() => task),
        data: kinds,
        settle: true,
      });

      expect(Object.fromEntries(kinds.map((kind, i) => [kind, arrived(results[i]!)])))
        .toMatchInlineSnapshot(`
        {
          "null": "the value null",
          "numeric message": "Error: 42",
          "revoked proxy": "Error: A value that cannot be copied between threads was thrown: <Revoked Proxy>",
          "symbol": "Error: A value that cannot be copied between threads was thrown: Symbol(thrown)",
          "symbol name": "Error: named by a symbol",
          "throwing message": "RangeError: ",
          "throwing proxy": "Error: A value that cannot be copied between threads was thrown: {}",
          "undefined": "the value undefined",
        }
      `);
    },
    30_000, // eight threads: seconds on a loaded machine
  );
});

describe('explore', () => {
  it.each(kinds)('a task that throws %s: a RaceError whose cause is that value', async (kind) => {
    const thrown = make(kind);

    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        tasks: [
          async () => {
            await checkpoint('before the throw');
            throw thrown;
          },
          async () => {
            await checkpoint('other');
          },
        ],
      }),
    );

    expect(race.code).toBe('ERR_RACE_FOUND');
    expect(Object.hasOwn(race, 'cause')).toBe(true);
    expect(Object.is(race.cause, thrown)).toBe(true);
    expect(race.message).toContain('threw');
  });
});
