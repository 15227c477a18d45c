import { describe, expect, it } from 'vitest';
import { BarrierError, InterleaveError, runInParallel, type Runner } from 'interleave';
import { failure } from './support/failure.ts';

/** Never settles by itself; rejects when the run's signal aborts. */
function untilAborted(runner: Runner): Promise<never> {
  return new Promise((_, reject) => {
    runner.signal.addEventListener('abort', () => {
      reject(new Error('cancelled because another task failed'));
    });
  });
}

describe('a broken barrier', () => {
  it('a task that finishes while another waits breaks it at once', async () => {
    const error = await failure(
      runInParallel(
        async (runner) => {
          await runner.await('checked');
        },
        () => 'done without waiting',
      ),
    );

    expect(error.failures.map((f) => f.index)).toEqual([0]);
    const broken = error.failures[0]?.error as BarrierError;
    expect(broken).toBeInstanceOf(BarrierError);
    expect(broken.code).toBe('ERR_BARRIER_BROKEN');
    expect(broken.barrier).toBe(1);
    expect(broken.message).toMatchInlineSnapshot(`
      "Barrier 1 can never open: task 1 finished while 1 task waited at it.
      Tasks:
        task 0: waiting at barrier 1 "checked"
        task 1: finished (passed 0 barriers)
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });

  it('a task that reaches a barrier after another finished fails at once', async () => {
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));

    const error = await failure(
      runInParallel(
        () => {
          release();
          return 'finished first';
        },
        async (runner) => {
          await late;
          await Promise.resolve();
          await runner.await();
        },
      ),
    );

    expect(error.failures[0]?.index).toBe(1);
    expect((error.failures[0]?.error as Error).message).toMatchInlineSnapshot(`
      "Barrier 1 can never open: task 1 arrived after task 0 had finished.
      Tasks:
        task 0: finished (passed 0 barriers)
        task 1: waiting at barrier 1 (no label)
      Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first."
    `);
  });

  it('a task that throws breaks it for the waiters, aborts the signal and is named first', async () => {
    const boom = new Error('boom');
    let signalReason: unknown;

    const error = await failure(
      runInParallel(
        async (runner) => {
          runner.signal.addEventListener('abort', () => {
            signalReason = runner.signal.reason;
          });
          await runner.await();
          await runner.await();
        },
        async (runner) => {
          await runner.await();
          throw boom;
        },
      ),
    );

    expect(signalReason).toBe(boom);
    expect(error.cause).toBe(boom);
    expect(error.errors).toHaveLength(2);
    expect(error.failures.map((f) => f.index)).toEqual([0, 1]);
    expect((error.failures[0]?.error as Error).cause).toBe(boom);
    expect(error.message).toMatchInlineSnapshot(`
      "2 of 2 tasks failed:
        task 0: BarrierError [ERR_BARRIER_BROKEN]: Barrier 2 can never open: task 1 failed (Error: boom) while 1 task waited at it.
          Tasks:
            task 0: waiting at barrier 2 (no label)
            task 1: failed (passed 1 barrier): Error: boom
          Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first.
        task 1 (failed first): Error: boom"
    `);
  });

  it('stays broken: later arrivals fail at once', async () => {
    const seen: string[] = [];

    await failure(
      runInParallel(
        async (runner) => {
          await runner.await().catch((e: unknown) => seen.push((e as BarrierError).code));
          await runner
            .await()
            .catch((e: unknown) => seen.push((e as Error).message.split('\n')[0] ?? ''));
          throw new Error('gave up');
        },
        () => {
          throw new Error('fails immediately');
        },
      ),
    );

    expect(seen).toEqual([
      'ERR_BARRIER_BROKEN',
      'Task 0 reached barrier 1, but the barriers of this run are broken: barrier 1 can never open: task 1 failed (Error: fails immediately) while 1 task waited at it.',
    ]);
  });
});

describe('timeouts', () => {
  it('a wait longer than `timeout` rejects the waiters with the picture of every task', async () => {
    const error = await failure(
      runInParallel(
        [
          async (runner) => {
            await runner.await('ready');
          },
          async (runner) => untilAborted(runner),
        ],
        { timeout: 50 },
      ),
    );

    const timedOut = error.failures[0]?.error as BarrierError;
    expect(timedOut.code).toBe('ERR_BARRIER_TIMEOUT');
    expect(timedOut.tasks).toEqual([
      { state: 'waiting', passed: 0, label: 'ready' },
      { state: 'running', passed: 0 },
    ]);
    expect(timedOut.message).toMatchInlineSnapshot(`
      "Barrier 1 timed out after 50 ms with 1 of 2 tasks arrived.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: still running, not at a barrier (passed 0 barriers)
      Every task must reach each runner.await(). If a task is just slow, raise \`timeout\` in the options of the run (now 50 ms)."
    `);
    expect((error.failures[1]?.error as Error).message).toBe(
      'cancelled because another task failed',
    );
  });

  it('a task that ignores the failure of the others is abandoned after `timeout`', async () => {
    const error = await failure(
      runInParallel(
        [
          () => {
            throw new Error('first');
          },
          () => new Promise(() => undefined),
        ],
        { timeout: 30 },
      ),
    );

    const abandoned = error.failures[1]?.error as InterleaveError;
    expect(abandoned.code).toBe('ERR_TASK_ABANDONED');
    expect(abandoned.message).toMatchInlineSnapshot(
      `"Task 1 was still running 30 ms after task 0 failed, so the run stopped waiting for it (async code cannot be stopped from outside). Make the task return when \`runner.signal\` aborts, or raise \`timeout\`."`,
    );
  });
});

describe('labels and misuse', () => {
  it('different labels at one barrier are ERR_BARRIER_MISMATCH, also for later arrivals', async () => {
    const error = await failure(
      runInParallel(
        async (runner) => runner.await('read'),
        async (runner) => runner.await('write'),
        async (runner) => runner.await('read'),
      ),
    );

    expect(error.failures.map((f) => (f.error as BarrierError).code)).toEqual([
      'ERR_BARRIER_MISMATCH',
      'ERR_BARRIER_MISMATCH',
      'ERR_BARRIER_MISMATCH',
    ]);
    expect((error.failures[0]?.error as Error).message).toMatchInlineSnapshot(`
      "Barrier 1 got different labels: task 1 arrived with "write" while task 0 waited with "read", so the tasks are out of step.
      Tasks:
        task 0: waiting at barrier 1 "read"
        task 1: waiting at barrier 1 "write"
        task 2: still running, not at a barrier (passed 0 barriers)
      Make every task await the same labels in the same order (labels match only when equal; no label matches only no label)."
    `);
  });

  it('a label never matches no label', async () => {
    const error = await failure(
      runInParallel(
        async (runner) => runner.await(),
        async (runner) => runner.await(''),
      ),
    );

    expect((error.failures[0]?.error as BarrierError).code).toBe('ERR_BARRIER_MISMATCH');
  });

  it('calling await() again before the first call resolved is an error', async () => {
    const error = await failure(
      runInParallel(
        async (runner) => {
          const first = runner.await();
          await runner.await();
          await first;
        },
        async (runner) => runner.await(),
      ),
    );

    expect((error.failures[0]?.error as Error).message.split('\n')[0]).toBe(
      'Task 0 called runner.await() again while its previous call still waited at barrier 1. Await each runner.await() before calling it again.',
    );
  });

  it('a runner used after its run is over rejects', async () => {
    let kept: Runner | undefined;
    await runInParallel((runner) => {
      kept = runner;
    });

    await expect(kept?.await()).rejects.toThrow(
      /^Task 0 called runner\.await\(\) after its run was over/,
    );
  });

  it('a label that is not a string is a TypeError from await()', async () => {
    const error = await failure(
      runInParallel(async (runner) => runner.await(42 as unknown as string)),
    );

    expect(error.failures[0]?.error).toEqual(
      new TypeError(
        "Expected `label` of runner.await(label) to be a string (or nothing), got a number (42). Labels name the point each task has reached, e.g. runner.await('read').",
      ),
    );
  });
});

describe('settle', () => {
  it('resolves to settled results instead of rejecting', async () => {
    const results = await runInParallel(
      [
        () => 'ok',
        () => {
          throw new Error('no');
        },
      ],
      { settle: true },
    );

    expect(results).toEqual([
      { status: 'fulfilled', value: 'ok' },
      { status: 'rejected', reason: new Error('no') },
    ]);
  });

  it('still aborts the signal when a task fails', async () => {
    let aborted = false;

    await runInParallel(
      [
        async (runner) => {
          await untilAborted(runner).catch(() => (aborted = runner.signal.aborted));
        },
        () => Promise.reject(new Error('fail')),
      ],
      { settle: true },
    );

    expect(aborted).toBe(true);
  });
});

describe('bad input', () => {
  const call = runInParallel as (...args: unknown[]) => Promise<unknown>;

  it('no tasks', () => {
    expect(() => call()).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: runInParallel() needs at least one task, got none. Pass functions, e.g. runInParallel(async (runner) => { ... }, async (runner) => { ... }).]`,
    );
    expect(() => call([])).toThrow('needs at least one task');
  });

  it('a task that is not a function', () => {
    expect(() => call(() => 1, 'two')).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected task 1 of runInParallel() to be a function (runner) => ..., got a string ("two").]`,
    );
  });

  it('a promise instead of a task', () => {
    expect(() => call([Promise.resolve()])).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected task 0 of runInParallel() to be a function (runner) => ..., got a promise. Pass the function itself, not the promise it returns.]`,
    );
  });

  it.each([-1, 0, Number.NaN, Infinity, '100'])('timeout %s', (timeout) => {
    expect(() => call([() => 1], { timeout })).toThrow(
      /^Expected `options\.timeout` of runInParallel\(\) to be a positive, finite number of milliseconds \(how long one barrier wait may take\), got .+\. Leave it out for the default \(500 ms\)\.$/,
    );
  });

  it('says what timeout was received', () => {
    expect(() => call([() => 1], { timeout: -5 })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.timeout\` of runInParallel() to be a positive, finite number of milliseconds (how long one barrier wait may take), got a number (-5). Leave it out for the default (500 ms).]`,
    );
  });

  it('unknown options, options of the wrong type, settle not a boolean', () => {
    expect(() => call([() => 1], { timeOut: 5 })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Unknown option \`timeOut\` in the options of runInParallel(): expected only \`timeout\`, \`taskTimeout\`, \`settle\`. Check the spelling.]`,
    );
    expect(() => call([() => 1], 5)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options\` (the second argument of runInParallel()) to be an object such as { timeout: 1000 }, got a number (5). Leave it out for the defaults.]`,
    );
    expect(() => call([() => 1], { settle: 'yes' })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.settle\` of runInParallel() to be a boolean, got a string ("yes").]`,
    );
  });

  it('an array of tasks followed by more than options', () => {
    expect(() => call([() => 1], {}, () => 2)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: runInParallel() takes either tasks as arguments, runInParallel(a, b), or an array and options, runInParallel([a, b], { timeout }); got an array followed by 2 more arguments.]`,
    );
  });
});
