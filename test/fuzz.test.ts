/**
 * Every public function, called with hostile values (test/support/hostile.ts: holes, Proxies,
 * odd Errors, huge lengths, throwing getters) by fast-check: each call returns a result or
 * throws a clear error (an ArgumentError or one of our InterleaveErrors), never hangs, never
 * crashes with an internal TypeError, and leaves no patch, timer, thread or handle behind.
 */
import fc from 'fast-check';
import { types } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as interleave from 'interleave';
import * as db from 'interleave/db';
import { HostileError, hostile, hostileTask, labelled } from './support/hostile.ts';

const { InterleaveError } = interleave;
/**
 * A fixed seed keeps CI's verdict the same from run to run; set INTERLEAVE_FUZZ_SEED to try
 * others locally (each counterexample found that way becomes a fix and a regression test).
 */
fc.configureGlobal({ seed: Number(process.env.INTERLEAVE_FUZZ_SEED ?? 20261203) });
/** A call taking longer than this is a hang (the defaults end every wait within ~1.5 s). */
const HANG_MS = 5000;
const WORKER_MODULE = new URL('./fixtures/worker-tasks.mjs', import.meta.url);

/** Outcomes per API, printed at the end (the closing note of issue #14 quotes them). */
const tally = new Map<string, { calls: number; results: number; errors: number }>();

function count(api: string, outcome: 'results' | 'errors'): void {
  const row = tally.get(api) ?? { calls: 0, results: 0, errors: 0 };
  row.calls++;
  row[outcome]++;
  tally.set(api, row);
}

/**
 * Our clear errors: an ArgumentError (a TypeError with a code), an InterleaveError, or a
 * ParallelError (an AggregateError of the tasks' failures, with its code).
 */
function assertClear(error: unknown): void {
  expect(types.isProxy(error), 'a Proxy escaped as the error').toBe(false);
  // A user callback (setup, a hook, a task's then) that threw: passed on as it is; also
  // what V8 throws at a class the user passed as a callback, when it is called.
  if (error instanceof HostileError) return;
  if (
    error instanceof TypeError &&
    /^Class constructor \w+ cannot be invoked/.test(error.message)
  ) {
    return;
  }
  if (error instanceof InterleaveError || error instanceof interleave.ParallelError) {
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(20);
    return;
  }
  expect(error, `not one of our errors: ${String(error)}`).toBeInstanceOf(TypeError);
  expect((error as { code?: unknown }).code).toBe('ERR_INVALID_ARGUMENT');
}

/** Calls `call`, and checks that it returns (or settles) or fails clearly, within HANG_MS. */
async function check(api: string, call: () => unknown): Promise<unknown> {
  let returned: unknown;
  try {
    returned = call();
  } catch (error) {
    assertClear(error);
    count(api, 'errors');
    return undefined;
  }
  if (!(returned instanceof Promise)) {
    count(api, 'results');
    return returned;
  }
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), HANG_MS);
  });
  try {
    const settled = await Promise.race([
      returned.then(
        (value: unknown) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hang,
    ]);
    expect(settled, `${api} did not settle within ${HANG_MS} ms`).not.toBe('hang');
    if (settled !== 'hang' && 'error' in settled) {
      assertClear(settled.error);
      count(api, 'errors');
      return undefined;
    }
    count(api, 'results');
    return settled === 'hang' ? undefined : settled.value;
  } finally {
    clearTimeout(timer);
  }
}

/** Calls `call` and waits (at most HANG_MS) for it to settle, whatever it settles with. */
async function settles(call: () => unknown): Promise<void> {
  let returned: unknown;
  try {
    returned = call();
  } catch {
    return;
  }
  if (!(returned instanceof Promise)) return;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), HANG_MS);
  });
  const settled = await Promise.race([
    returned.then(
      () => 'ok',
      () => 'ok',
    ),
    hang,
  ]);
  clearTimeout(timer);
  expect(settled, `the hooked call did not settle within ${HANG_MS} ms`).toBe('ok');
}

/** A fresh object to hook, and a way to check that it is exactly as it was. */
function freshTarget() {
  const target = {
    m: () => 1,
    async am() {
      return 2;
    },
    value: 3,
  };
  const before = Object.getOwnPropertyDescriptors(target);
  return {
    target,
    untouched: () => expect(Object.getOwnPropertyDescriptors(target)).toEqual(before),
  };
}

const maybe = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof(
    valid.map((value) => ({ label: 'valid', value })),
    hostile(),
  );

let resourcesBefore: string[] = [];

beforeAll(() => {
  resourcesBefore = process.getActiveResourcesInfo().toSorted();
});

afterAll(async () => {
  interleave.restoreAll();
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  expect(process.getActiveResourcesInfo().toSorted()).toEqual(resourcesBefore);
  console.log(
    'fuzz outcomes:',
    JSON.stringify(Object.fromEntries(tally)),
    `total calls: ${[...tally.values()].reduce((sum, row) => sum + row.calls, 0)}`,
  );
});

describe('every public function, fuzzed with hostile values', { timeout: 300_000 }, () => {
  it.each(['before', 'after', 'yieldAt'] as const)(
    '%s(target, key, hook, options)',
    async (api) => {
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          maybe(fc.constantFrom('m', 'am', 'value', 'missing')),
          maybe(fc.constant(() => undefined)),
          maybe(fc.constantFrom({}, { times: 2 }, { label: 'x' }, { unfired: 'ignore' })),
          async (ownTarget, key, hook, options) => {
            const { target, untouched } = freshTarget();
            const on = ownTarget ? target : hostileTargetOf(key.label);
            const made = await check(api, () =>
              api === 'yieldAt'
                ? interleave.yieldAt(on as never, key.value as never, options.value as never)
                : interleave[api](
                    on as never,
                    key.value as never,
                    hook.value as never,
                    options.value as never,
                  ),
            );
            if (made !== undefined) {
              const handle = made as interleave.Hook;
              // The hook is the user's (maybe a class, a trap Proxy): whatever it throws is
              // theirs; the call must only settle.
              await settles(() => (on as Record<string, () => unknown>)[key.value as string]?.());
              handle.restore();
            }
            if (ownTarget) untouched();
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it('restoreAll()', async () => {
    await check('restoreAll', () => interleave.restoreAll());
  });

  it('checkpoint(label)', async () => {
    await fc.assert(
      fc.asyncProperty(hostile(), async (label) => {
        await check('checkpoint', () => interleave.checkpoint(label.value as never));
      }),
      { numRuns: 100 },
    );
  });

  it('runInParallel(tasks, options)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(hostileTask(), { minLength: 1, maxLength: 4 }).map((tasks) =>
            labelled(
              tasks.map((t) => t.label).join(', '),
              tasks.map((t) => t.value),
            ),
          ),
          hostile(),
        ),
        maybe(fc.constantFrom(undefined, { settle: true }, { timeout: 50 })),
        async (tasks, options) => {
          await check('runInParallel', () =>
            interleave.runInParallel(tasks.value as never, options.value as never),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('explore(spec)', async () => {
    const field = fc.constantFrom(
      'setup',
      'teardown',
      'points',
      'check',
      'strategy',
      'runs',
      'seed',
      'replay',
      'stepTimeout',
      'maxSteps',
      'callbackTimeout',
      'tasks',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileTask(), { minLength: 1, maxLength: 3 }),
        fc.option(fc.tuple(field, hostile()), { freq: 2 }),
        fc.constantFrom(false, false, false, true),
        async (tasks, oddField, wholeSpecHostile) => {
          const spec: Record<string, unknown> = { tasks: tasks.map((t) => t.value), runs: 20 };
          if (oddField !== null) spec[oddField[0]] = oddField[1].value;
          await check('explore', () =>
            interleave.explore((wholeSpecHostile ? oddField?.[1].value : spec) as never),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('runInWorkers(moduleUrl, options)', async () => {
    await fc.assert(
      fc.asyncProperty(
        maybe(fc.constant(WORKER_MODULE)),
        maybe(fc.constantFrom(['finishEarly', 'finishEarly'], ['finishEarly'])),
        fc.option(hostile()),
        async (moduleUrl, taskNames, data) => {
          const options =
            taskNames.label === 'valid'
              ? { tasks: taskNames.value, ...(data !== null && { data: data.value }) }
              : taskNames.value;
          await check('runInWorkers', () =>
            interleave.runInWorkers(moduleUrl.value as never, options as never),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it.each([
    'classifyDbError',
    'isDeadlock',
    'isLockTimeout',
    'isRetryable',
    'isSerializationFailure',
  ] as const)('interleave/db %s(error) answers for any value, never throws', async (api) => {
    await fc.assert(
      fc.asyncProperty(hostile(), async (value) => {
        const answer = await check(`db.${api}`, () => db[api](value.value));
        expect(tally.get(`db.${api}`)?.errors ?? 0).toBe(0);
        expect(['undefined', 'string', 'boolean']).toContain(typeof answer);
      }),
      { numRuns: 150 },
    );
  });
});

/** A hostile target for a hook: the value the key's arbitrary did not pick, or a Proxy. */
function hostileTargetOf(label: string): unknown {
  return label === 'valid'
    ? new Proxy(
        {},
        {
          get: () => {
            throw new Error('get');
          },
        },
      )
    : Object.freeze({ m() {} });
}
