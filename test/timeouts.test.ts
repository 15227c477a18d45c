/**
 * interleave's default waits (src/internal/defaults.ts): each failing path ends well within
 * the shortest default test timeout (Mocha's 2000 ms), so users see our message rather than
 * the runner's; and no wait can be given a duration Node's timers cannot keep.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BarrierError, explore, InterleaveError, runInParallel, runInWorkers } from 'interleave';
import {
  BARRIER_TIMEOUT,
  DEADLOCK_STEPS,
  HOOK_TIMEOUT,
  SETTLE_TIMEOUT,
  SHRINK_BUDGET,
  STEP_TIMEOUT,
  TASK_TIMEOUT,
} from '../src/internal/defaults.ts';
import { validateSpec } from '../src/explore/validate.ts';
import { shrinkSchedule } from '../src/explore/replay/shrink.ts';
import type { Decision, RunResult } from '../src/explore/engine/run-types.ts';
import { failure } from './support/failure.ts';
import { lockOrderInversion, raceOf } from './support/explore.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** Mocha's default test timeout, the shortest of the runners we support. */
const MOCHA_TIMEOUT = 2000;

it("every failing path with default options ends within 60% of Mocha's 2000 ms", () => {
  const paths = {
    // The barrier times out, then the task that never came ignores runner.signal.
    'barrier, then abandoning a task': 2 * BARRIER_TIMEOUT,
    // Two tasks block (a step timeout each: the process had I/O pending), stay blocked, and
    // never settle; a replay would take as long, so shrinking starts none.
    'explore: a deadlock while I/O is pending':
      (2 + DEADLOCK_STEPS) * STEP_TIMEOUT + SETTLE_TIMEOUT,
    'explore: shrinking a race': SHRINK_BUDGET.ms,
    'a hook waiting for its body': HOOK_TIMEOUT,
  };

  const tooLong = Object.entries(paths).filter(([, ms]) => ms > MOCHA_TIMEOUT * 0.6);

  expect(tooLong).toEqual([]);
});

it('a task that never settles ends after taskTimeout: after the barrier path and PostgreSQL, before Mocha', () => {
  // PostgreSQL's default deadlock_timeout: the server breaks a deadlock between two tasks
  // about this long after the second lock wait began; that report must come first.
  const POSTGRES_DEADLOCK_TIMEOUT = 1000;

  expect(TASK_TIMEOUT).toBeGreaterThan(2 * BARRIER_TIMEOUT);
  expect(TASK_TIMEOUT).toBeGreaterThanOrEqual(POSTGRES_DEADLOCK_TIMEOUT + 500);
  expect(TASK_TIMEOUT).toBeLessThanOrEqual(MOCHA_TIMEOUT * 0.75);
});

describe('the default task timeout', () => {
  it('runInParallel: a task that never settles and reaches no barrier fails after it', async () => {
    const started = performance.now();

    const error = await failure(runInParallel(() => new Promise(() => undefined)));

    const timedOut = error.failures[0]?.error as InterleaveError;
    expect(timedOut.code).toBe('ERR_TASK_TIMEOUT');
    expect(timedOut.message).toContain(`was still running ${TASK_TIMEOUT} ms after it started`);
    expect(performance.now() - started).toBeLessThan(MOCHA_TIMEOUT);
  });

  it('runInWorkers: a thread blocked for good fails after it, and is terminated', async () => {
    const error = await failure(
      runInWorkers(new URL('./fixtures/worker-hangs.mjs', import.meta.url), {
        tasks: ['blockOnCell'],
        data: { cell: new Int32Array(new SharedArrayBuffer(4)) },
      }),
    );

    const timedOut = error.failures[0]?.error as InterleaveError;
    expect(timedOut.code).toBe('ERR_TASK_TIMEOUT');
    expect(timedOut.message).toContain(`was still running ${TASK_TIMEOUT} ms after it started`);
  });
});

describe('the default barrier timeout', () => {
  it('runInParallel: a task that never arrives fails the barrier after the default', async () => {
    const error = await failure(
      runInParallel(
        async (runner) => {
          await runner.await('ready');
        },
        (runner) =>
          new Promise((_, reject) => {
            runner.signal.addEventListener('abort', () => reject(new Error('cancelled')));
          }),
      ),
    );

    const timedOut = error.failures[0]?.error as BarrierError;
    expect(timedOut.code).toBe('ERR_BARRIER_TIMEOUT');
    expect(timedOut.message.split('\n')[0]).toBe(
      `Barrier 1 timed out after ${BARRIER_TIMEOUT} ms with 1 of 2 tasks arrived.`,
    );
  });

  it('runInParallel: a task that ignores the signal is abandoned after the default again', async () => {
    const error = await failure(
      runInParallel(
        async (runner) => {
          await runner.await('ready');
        },
        () => new Promise(() => undefined),
      ),
    );

    const abandoned = error.failures[1]?.error as InterleaveError;
    expect(abandoned.code).toBe('ERR_TASK_ABANDONED');
    expect(abandoned.message).toContain(`still running ${BARRIER_TIMEOUT} ms after task 0 failed`);
  });

  it('runInWorkers: a thread that never arrives fails the barrier after the default', async () => {
    const error = await failure(
      runInWorkers(new URL('./fixtures/worker-tasks.mjs', import.meta.url), {
        tasks: ['waitOnce', 'blockForever'],
      }),
    );

    const timedOut = error.failures[0]?.error as BarrierError;
    expect(timedOut.code).toBe('ERR_BARRIER_TIMEOUT');
    expect(timedOut.message.split('\n')[0]).toBe(
      `Barrier 1 timed out after ${BARRIER_TIMEOUT} ms with 1 of 2 tasks arrived.`,
    );
  });
});

describe("explore's defaults", () => {
  it('fills in the step and settle timeouts', () => {
    const valid = validateSpec({ tasks: [() => undefined] });

    expect([valid.stepTimeout, valid.settleTimeout]).toEqual([STEP_TIMEOUT, SETTLE_TIMEOUT]);
  });

  it('reports an in-memory deadlock at once, without waiting out the settle wait', async () => {
    const race = await raceOf(
      explore({
        strategy: 'exhaustive',
        ...lockOrderInversion(),
      }),
    );

    expect(race.code).toBe('ERR_DEADLOCK');
    expect(race.message).not.toContain(`${SETTLE_TIMEOUT} ms after the failure`);
    expect(race.message).toContain(
      'tasks 0, 1 had not settled and nothing in the process could wake them (no I/O, timer or other source of events was pending), so they were abandoned at once.',
    );
    // Nothing was waited for, so it was cheap to confirm.
    expect(race.reproducible).toBe(true);
  });
});

describe('the shrink budget', () => {
  /** A failing schedule of `steps` steps, alternating between two tasks. */
  function failingRun(steps: number): RunResult {
    const decisions: Decision[] = Array.from({ length: steps }, (_, step) => ({
      enabled: [0, 1],
      current: step === 0 ? -1 : (step - 1) % 2,
      chosen: step % 2,
      preemption: step > 0,
      fairTurn: -1,
    }));
    return {
      failure: { kind: 'check', error: new Error('lost update') },
      results: [],
      trace: [],
      decisions,
      abandoned: [],
      lateErrors: [],
      blockedSettled: false,
      abandonedAtOnce: false,
    };
  }

  it('starts no replay that would end past the budget', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const replayMs = SHRINK_BUDGET.ms / 2 - 10;
    let replays = 0;

    const shrunk = await shrinkSchedule(
      failingRun(8),
      async () => {
        replays++;
        vi.advanceTimersByTime(replayMs);
        return failingRun(8);
      },
      { ...SHRINK_BUDGET, firstRunMs: 1 },
    );

    // Two replays end within the budget; a third would not.
    expect([shrunk.runs, replays]).toEqual([2, 2]);
  });

  it('starts none when the failing schedule alone took longer than the budget', async () => {
    let replays = 0;

    const shrunk = await shrinkSchedule(
      failingRun(8),
      async () => {
        replays++;
        return failingRun(8);
      },
      { ...SHRINK_BUDGET, firstRunMs: SHRINK_BUDGET.ms + 1 },
    );

    expect([shrunk.runs, replays]).toEqual([0, 0]);
  });
});

describe('durations Node cannot keep are refused', () => {
  // Node fires a timer longer than 2^31-1 ms after 1 ms: the wait would fail at once.
  it('runInParallel', () => {
    expect(() => runInParallel([() => 1], { timeout: 2 ** 31 })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.timeout\` of runInParallel() to be at most 2147483647 ms (about 24.8 days), got a number (2147483648): Node fires a longer timer after 1 ms, so the wait would end at once. Leave it out for the default (500 ms).]`,
    );
  });

  it('runInWorkers', async () => {
    await expect(
      runInWorkers(new URL('./fixtures/worker-tasks.mjs', import.meta.url), {
        tasks: ['waitOnce'],
        timeout: 2 ** 31,
      }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.timeout\` of runInWorkers() to be at most 2147483647 ms (about 24.8 days), got a number (2147483648): Node fires a longer timer after 1 ms, so the wait would end at once. Leave it out for the default (500 ms).]`,
    );
  });

  it("explore's stepTimeout and settleTimeout", async () => {
    await expect(
      explore({ tasks: [async () => {}], stepTimeout: 2 ** 31 }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`stepTimeout\` of explore() to be at most 2147483647 ms (about 24.8 days), got a number (2147483648): Node fires a longer timer after 1 ms, so the wait would end at once. Leave it out for the default (100 ms).]`,
    );
    await expect(
      explore({ tasks: [async () => {}], settleTimeout: 2 ** 40 }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`settleTimeout\` of explore() to be at most 2147483647 ms (about 24.8 days), got a number (1099511627776): Node fires a longer timer after 1 ms, so the wait would end at once. Leave it out for the default (500 ms).]`,
    );
  });

  it('the largest duration Node keeps is accepted', () => {
    expect(validateSpec({ tasks: [() => undefined], stepTimeout: 2 ** 31 - 1 }).stepTimeout).toBe(
      2 ** 31 - 1,
    );
  });
});
