/**
 * explore's spec callbacks (setup, points, check, teardown) are bounded by `callbackTimeout`:
 * one that never settles is reported by name, not left to the test runner's timeout.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, InterleaveError, RaceError, yieldAt } from 'interleave';

const never = () => new Promise<never>(() => undefined);
const tasks = [async () => checkpoint(), async () => checkpoint()];

/** Timers still pending in this process (ours must all be cleared). */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected explore to reject');
    },
    (error: unknown) => error,
  );
}

describe('callbackTimeout', () => {
  it('a setup that never settles: ERR_CALLBACK_TIMEOUT naming it, no timer left', async () => {
    const before = timers();
    const error = await rejection(
      explore({
        setup: async function connect() {
          await never();
        },
        tasks,
        callbackTimeout: 30,
      }),
    );
    expect(error).toBeInstanceOf(InterleaveError);
    expect((error as InterleaveError).code).toBe('ERR_CALLBACK_TIMEOUT');
    expect(error).toMatchInlineSnapshot(
      `[InterleaveError: explore()'s \`setup\` (function connect) returned a promise that did not settle within 30 ms, so explore stops with this error instead of waiting forever. It may be waiting for a connection, a server or a lock that never comes: check what it awaits (a pool that is full, a server that was not started, a previous schedule that still holds a lock). If it is only slow, raise \`callbackTimeout\` (now 30 ms).]`,
    );
    expect(timers()).toBe(before);
  });

  it('points that never settle: the error names points, and the hooks made are restored', async () => {
    const db = {
      async get() {
        return 1;
      },
    };
    const original = db.get;
    const error = await rejection(
      explore({
        points: async () => {
          yieldAt(db, 'get');
          await never();
        },
        tasks,
        callbackTimeout: 30,
      }),
    );
    expect(error).toMatchInlineSnapshot(
      `[InterleaveError: explore()'s \`points\` returned a promise that did not settle within 30 ms, so explore stops with this error instead of waiting forever. \`points\` should only install scheduling points (yieldAt calls); it rarely needs to await anything, and what it awaits never settled. If it is only slow, raise \`callbackTimeout\` (now 30 ms).]`,
    );
    expect(db.get).toBe(original);
  });

  it('a check that never settles fails the schedule: a RaceError whose cause is the timeout', async () => {
    const error = await rejection(explore({ tasks, check: never, callbackTimeout: 30 }));
    expect(error).toBeInstanceOf(RaceError);
    const cause = (error as RaceError).cause;
    expect((cause as InterleaveError).code).toBe('ERR_CALLBACK_TIMEOUT');
    expect((cause as Error).message).toMatchInlineSnapshot(
      `"explore()'s \`check\` (function never) returned a promise that did not settle within 30 ms, so the schedule fails with this error instead of waiting forever. \`check\` runs once every task has finished; it may be waiting for something a task left unfinished in this schedule (a lock not released, a request never answered): the trace shows this schedule. If it is only slow, raise \`callbackTimeout\` (now 30 ms)."`,
    );
  });

  it('a teardown that never settles after a passing schedule rejects, naming teardown', async () => {
    let teardowns = 0;
    const error = await rejection(
      explore({
        tasks,
        teardown: async () => {
          teardowns++;
          await never();
        },
        callbackTimeout: 30,
      }),
    );
    expect((error as InterleaveError).code).toBe('ERR_CALLBACK_TIMEOUT');
    expect((error as Error).message).toContain("explore()'s `teardown` returned a promise");
    expect(teardowns).toBe(1);
  });

  it('synchronous and promptly settling callbacks are not affected; Infinity means no bound', async () => {
    const report = await explore({
      setup: async () => ({ n: 0 }),
      points: () => undefined,
      tasks,
      check: async () => undefined,
      teardown: async () => undefined,
      callbackTimeout: Infinity,
    });
    expect(report.exhausted).toBe(true);
  });

  it('rejects a callbackTimeout that is not a duration', async () => {
    await expect(explore({ tasks, callbackTimeout: 0 })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`callbackTimeout\` of explore() to be a positive, finite number of milliseconds (how long setup, points, check and teardown may each take), or Infinity for no bound, got a number (0). Leave it out for the default (1000 ms).]`,
    );
    await expect(explore({ tasks, callbackTimeout: 2 ** 31 })).rejects.toThrow(
      /at most 2147483647 ms/,
    );
  });
});
