import { describe, expect, it } from 'vitest';
import {
  after,
  ArgumentError,
  before,
  checkpoint,
  explore,
  runInParallel,
  runInWorkers,
  yieldAt,
} from 'interleave';
import { failure } from './support/failure.ts';

/** What `act` threw, checked to be an ArgumentError. */
function thrown(act: () => unknown): ArgumentError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return error as ArgumentError;
  }
  return expect.fail('expected an ArgumentError');
}

/** What `run` rejected with, checked to be an ArgumentError. */
async function rejected(run: Promise<unknown>): Promise<ArgumentError> {
  const error = await run.then(
    () => expect.fail('expected an ArgumentError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArgumentError);
  return error as ArgumentError;
}

/** The fields of an ArgumentError, for one assertion. */
function fields(error: ArgumentError) {
  const { code, api, argument, expected, received, hint } = error;
  return { code, api, argument, expected, received, hint };
}

const untyped = (fn: unknown) => fn as (...args: unknown[]) => unknown;
const db = { async getCount() {} };

describe('ArgumentError', () => {
  it('is a TypeError named TypeError, so existing checks keep working', () => {
    const error = thrown(() => untyped(before)(db, 3, () => undefined));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe('TypeError');
    // The fields are not enumerable: the error still equals a plain TypeError.
    expect(() => untyped(before)(db, 3, () => undefined)).toThrow(new TypeError(error.message));
    expect(Object.keys(error)).toEqual([]);
  });

  it('carries the parts of the message of a bad option of runInParallel', async () => {
    const error = thrown(() => runInParallel([async () => {}], { timeout: -5 }));
    expect(fields(error)).toEqual({
      code: 'ERR_INVALID_ARGUMENT',
      api: 'runInParallel',
      argument: 'options.timeout',
      expected: 'a positive, finite number of milliseconds (how long one barrier wait may take)',
      received: 'a number (-5)',
      hint: 'Leave it out for the default (500 ms).',
    });
  });

  it('names a timeout over the timer limit (Node would clamp it to 1 ms)', () => {
    const error = thrown(() => runInParallel([async () => {}], { timeout: 2 ** 31 }));
    expect(fields(error)).toMatchObject({
      api: 'runInParallel',
      argument: 'options.timeout',
      expected: 'at most 2147483647 ms (about 24.8 days)',
      received: 'a number (2147483648)',
    });
  });

  it('names the argument of before/after, not only their options', () => {
    expect(fields(thrown(() => untyped(before)(db, 3, () => undefined)))).toEqual({
      code: 'ERR_INVALID_ARGUMENT',
      api: 'before',
      argument: 'key',
      expected: "the method's name as a string or symbol",
      received: 'a number (3)',
      hint: "Write e.g. before(db, 'getCount', hook).",
    });
    expect(
      fields(thrown(() => untyped(after)(db, 'getCount', () => undefined, { unfired: 'no' }))),
    ).toEqual({
      code: 'ERR_INVALID_ARGUMENT',
      api: 'after',
      argument: 'options.unfired',
      expected:
        "one of 'warn', 'throw', 'ignore' (what to do when the hook is restored without ever firing)",
      received: 'a string ("no")',
      hint: 'Leave it out to warn.',
    });
  });

  it('names an unknown option with the known ones', async () => {
    const error = await rejected(
      untyped(explore)({ tasks: [() => 1], strategey: 'pct' }) as Promise<unknown>,
    );
    expect(fields(error)).toEqual({
      code: 'ERR_INVALID_ARGUMENT',
      api: 'explore',
      argument: 'strategey',
      expected:
        'only `setup`, `teardown`, `tasks`, `points`, `check`, `strategy`, `maxPreemptions`, `maxDelays`, `runs`, `depth`, `maxSteps`, `seed`, `replay`, `stepTimeout`, `settleTimeout`, `callbackTimeout`, `shrink`, `time`',
      received: 'an unknown field',
      hint: 'Check the spelling.',
    });
  });

  it('names an item of a list by its index', async () => {
    const error = await rejected(
      untyped(explore)({ tasks: [() => 1, 'task'] }) as Promise<unknown>,
    );
    expect(fields(error)).toMatchObject({
      api: 'explore',
      argument: 'tasks[1]',
      expected: 'a function (ctx) => ...',
      received: 'a string ("task")',
    });
  });

  it('is what yieldAt and checkpoint throw too', () => {
    expect(fields(thrown(() => yieldAt(db, 'getCount', { label: '' })))).toMatchObject({
      api: 'yieldAt',
      argument: 'options.label',
      received: 'a string ("")',
    });
    expect(fields(thrown(() => untyped(checkpoint)(7)))).toMatchObject({
      api: 'checkpoint',
      argument: 'label',
      received: 'a number (7)',
    });
  });

  it('is thrown by runInWorkers before any thread starts', async () => {
    const url = new URL('./fixtures/worker-tasks.mjs', import.meta.url);
    const error = await runInWorkers(url, { tasks: ['echoData', ''] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect(fields(error as ArgumentError)).toMatchObject({
      api: 'runInWorkers',
      argument: 'options.tasks[1]',
      expected: 'the name of an exported function',
      received: 'a string ("")',
    });
  });

  it('keeps its class and fields when it crosses from a worker thread', async () => {
    const url = new URL('./fixtures/worker-tasks.mjs', import.meta.url);
    const error = await failure(runInWorkers(url, { tasks: ['badLabel'] }));
    const cause = error.failures[0]?.error;
    expect(cause).toBeInstanceOf(ArgumentError);
    expect(fields(cause as ArgumentError)).toEqual({
      code: 'ERR_INVALID_ARGUMENT',
      api: 'runner.await',
      argument: 'label',
      expected: 'a string (or nothing)',
      received: 'a number (42)',
      hint: "Labels name the point each task has reached, e.g. runner.await('read').",
    });
  });
});

describe('messages the options module unified', () => {
  it('names the options or spec object that is not an object', async () => {
    await expect(untyped(explore)(5)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`spec\` (the argument of explore()) to be an object such as { tasks: [taskA, taskB] }, got a number (5).]`,
    );
    await expect(
      untyped(runInWorkers)(new URL('file:///tasks.mjs'), 'tasks'),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options\` (the second argument of runInWorkers()) to be an object such as { tasks: ['reader', 'writer'] }, got a string ("tasks").]`,
    );
  });

  it('words every range of whole numbers the same way', async () => {
    await expect(explore({ tasks: [() => 1], runs: 0 })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`runs\` of explore() to be a whole number of at least 1, got a number (0). Leave it out for the strategy's default (1000 for pct, random and portfolio; no bound for exhaustive and delay-bounded).]`,
    );
    await expect(
      explore({ tasks: [() => 1], maxPreemptions: 65 }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`maxPreemptions\` of explore() to be a whole number from 0 to 64, got a number (65). Leave it out for the default (2).]`,
    );
    await expect(
      explore({ tasks: [() => 1], strategy: 'delay-bounded', maxDelays: 1.5 }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`maxDelays\` of explore() to be a whole number from 0 to 64, got a number (1.5). Leave it out for the default (2).]`,
    );
  });
});
