/**
 * `taskTimeout` of runInParallel: a task that never settles and never touches a barrier used
 * to hang the run forever (the barrier's `timeout` bounds only barrier waits). Now every task
 * still running `taskTimeout` ms after its start fails with ERR_TASK_TIMEOUT, saying where it
 * was, and its `runner.signal` aborts so that it can unwind.
 */
import { describe, expect, it } from 'vitest';
import { BarrierError, InterleaveError, runInParallel, type Runner } from 'interleave';
import { failure } from './support/failure.ts';

const never = () => new Promise<never>(() => undefined);

describe('a task that never settles', () => {
  it('and never reaches a barrier: ERR_TASK_TIMEOUT, naming it and every task', async () => {
    const error = await failure(
      runInParallel(
        [
          () => 'finished',
          async function lookup() {
            await never();
          },
        ],
        { taskTimeout: 50 },
      ),
    );

    expect(error.failures.map((f) => f.index)).toEqual([1]);
    const timedOut = error.failures[0]?.error as InterleaveError;
    expect(timedOut).toBeInstanceOf(InterleaveError);
    expect(timedOut.code).toBe('ERR_TASK_TIMEOUT');
    expect(error.message).toMatchInlineSnapshot(`
      "1 of 2 tasks failed:
        task 1 (failed first): InterleaveError [ERR_TASK_TIMEOUT]: Task 1 (\`lookup\`) was still running 50 ms after it started, so the run stopped waiting for it (async code cannot be stopped from outside) and aborted \`runner.signal\`: it had reached no barrier.
          Tasks:
            task 0: finished (passed 0 barriers)
            task 1: still running, not at a barrier (passed 0 barriers)
          Every task must settle within \`taskTimeout\` (now 50 ms) of its start: look for a promise that never settles. If the task is only slow, raise \`taskTimeout\` in the options of the run (Infinity for no bound)."
    `);
  });

  it('after passing barriers: names the last one it passed and its label', async () => {
    const meetTwice = async (runner: Runner) => {
      await runner.await('read');
      await runner.await('locked');
    };
    async function transfer(runner: Runner) {
      await meetTwice(runner);
      await never();
    }
    async function partner(runner: Runner) {
      await meetTwice(runner);
      return 'done';
    }

    const error = await failure(runInParallel([partner, transfer], { taskTimeout: 50 }));

    // Where it was, and every task (the advice that follows is the same as above).
    const [headline, ...table] = (error.failures[0]?.error as Error).message.split('\n');
    expect(headline).toMatchInlineSnapshot(
      `"Task 1 (\`transfer\`) was still running 50 ms after it started, so the run stopped waiting for it (async code cannot be stopped from outside) and aborted \`runner.signal\`: it passed barrier 2 "locked" and had not reached another."`,
    );
    expect(table.slice(0, 3)).toMatchInlineSnapshot(`
      [
        "Tasks:",
        "  task 0: finished (passed 2 barriers)",
        "  task 1: still running, not at a barrier (passed 2 barriers)",
      ]
    `);
  });

  it('several at once: each is named, a waiter is woken, the signal aborts', async () => {
    const woken: string[] = [];
    let reason: unknown;

    const error = await failure(
      runInParallel(
        [
          async (runner) => {
            await runner.await('first');
            await runner.await('second').catch((e: unknown) => {
              woken.push((e as BarrierError).code);
            });
          },
          async (runner) => {
            runner.signal.addEventListener('abort', () => {
              reason = runner.signal.reason as unknown;
            });
            await runner.await('first');
            await never();
          },
        ],
        // The barrier would wait longer than the task may run.
        { timeout: 10_000, taskTimeout: 50 },
      ),
    );

    expect(error.failures.map((f) => (f.error as InterleaveError).code)).toEqual([
      'ERR_TASK_TIMEOUT',
      'ERR_TASK_TIMEOUT',
    ]);
    expect((error.failures[0]?.error as Error).message.split('\n')[0]).toMatchInlineSnapshot(
      `"Task 0 was still running 50 ms after it started, so the run stopped waiting for it (async code cannot be stopped from outside) and aborted \`runner.signal\`: it was waiting at barrier 2 "second"."`,
    );
    await Promise.resolve();
    expect(woken).toEqual(['ERR_BARRIER_BROKEN']);
    expect(reason).toBe(error.failures[0]?.error);
  });

  it('a task that settles after the deadline changes nothing', async () => {
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));

    const results = await runInParallel(
      [
        async () => {
          await late;
          return 'late';
        },
      ],
      { taskTimeout: 20, settle: true },
    );
    release();
    await late;

    expect(results[0].status).toBe('rejected');
  });

  it('Infinity: no bound (the run ends when the task does)', async () => {
    let release!: (value: string) => void;
    const slow = new Promise<string>((resolve) => (release = resolve));
    const run = runInParallel([() => slow], { taskTimeout: Infinity });

    release('done');

    await expect(run).resolves.toEqual(['done']);
  });
});

describe('taskTimeout is checked', () => {
  const call = runInParallel as (...args: unknown[]) => Promise<unknown>;

  it.each([0, -1, Number.NaN, '100'])('%s is refused', (taskTimeout) => {
    expect(() => call([() => 1], { taskTimeout })).toThrow(
      /^Expected `options\.taskTimeout` of runInParallel\(\) to be a positive, finite number of milliseconds \(how long each task may run in all, from its start\), or Infinity for no bound, got .+\. Leave it out for the default \(1500 ms\)\.$/,
    );
  });

  it('more than Node can time is refused', () => {
    expect(() => call([() => 1], { taskTimeout: 2 ** 31 })).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.taskTimeout\` of runInParallel() to be at most 2147483647 ms (about 24.8 days), got a number (2147483648): Node fires a longer timer after 1 ms, so the wait would end at once. Leave it out for the default (1500 ms).]`,
    );
  });
});
