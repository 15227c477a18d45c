/**
 * runInWorkers with tasks that never end and no barrier to fail: a thread blocked in
 * Atomics.wait on a cell nobody notifies, spinning, waiting on a promise that never settles,
 * or a module that blocks while it loads. The run used to never settle and keep the thread
 * alive; now `taskTimeout` bounds each, the threads are terminated (none outlives the run),
 * and the error says which task was where.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterleaveError, runInWorkers } from 'interleave';
import { failure } from './support/failure.ts';
import { resetThreads, threads } from './support/threads.ts';

vi.mock('node:worker_threads', async (importOriginal) =>
  (await import('./support/threads.ts')).countedWorkerThreads(importOriginal),
);

afterEach(resetThreads);

const fixtures = new URL('./fixtures/', import.meta.url);
const hangs = new URL('worker-hangs.mjs', fixtures);
/** A cell nobody ever notifies. */
const cell = () => new Int32Array(new SharedArrayBuffer(4));

/** Runs `tasks` of worker-hangs.mjs (with a cell nobody notifies) until it fails. */
const hang = (tasks: string[], taskTimeout: number) =>
  failure(runInWorkers(hangs, { tasks, data: { cell: cell() }, taskTimeout }));

/** The message of a task's error, the fixtures' URL shortened. */
const messageOf = (error: unknown) =>
  (error as Error).message.replaceAll(fixtures.href, '<fixtures>/');

describe('a task that never ends', () => {
  it('blocked in Atomics.wait on another cell: ERR_TASK_TIMEOUT, the thread terminated', async () => {
    const error = await hang(['finish', 'blockOnCell'], 100);

    expect(error.failures.map((f) => f.index)).toEqual([1]);
    const timedOut = error.failures[0]?.error as InterleaveError;
    expect(timedOut).toBeInstanceOf(InterleaveError);
    expect(timedOut.code).toBe('ERR_TASK_TIMEOUT');
    // Its headline; the whole message is shown below, after two barriers.
    expect(messageOf(timedOut).split('\n')[0]).toMatchInlineSnapshot(
      `"Task 1 (\`blockOnCell\`) was still running 100 ms after it started, so its worker thread was terminated: it had reached no barrier."`,
    );
    expect(threads).toEqual({ started: 2, exited: 2 });
  });

  it.each(['spin', 'neverSettles'])('%s: the same', async (task) => {
    const error = await hang([task], 100);

    const timedOut = error.failures[0]?.error as InterleaveError;
    expect(timedOut.code).toBe('ERR_TASK_TIMEOUT');
    expect(timedOut.message.split('\n')[0]).toBe(
      `Task 0 (\`${task}\`) was still running 100 ms after it started, so its worker thread was terminated: it had reached no barrier.`,
    );
    expect(threads).toEqual({ started: 1, exited: 1 });
  });

  it('after two barriers: names the last one it passed, and the task that finished', async () => {
    const error = await hang(['partner', 'transfer'], 200);

    expect(messageOf(error)).toMatchInlineSnapshot(`
      "1 of 2 tasks failed:
        task 1 (failed first): InterleaveError [ERR_TASK_TIMEOUT]: Task 1 (\`transfer\`) was still running 200 ms after it started, so its worker thread was terminated: it passed barrier 2 "locked" and had not reached another.
          Tasks:
            task 0: finished (passed 2 barriers)
            task 1: still running, not at a barrier (passed 2 barriers)
          Every task must settle within \`taskTimeout\` (now 200 ms) of its start: look for a wait that never ends (Atomics.wait without a timeout, a promise that never settles) or an endless loop. If the task is only slow, raise \`taskTimeout\` in the options of the run (Infinity for no bound)."
    `);
    expect(threads).toEqual({ started: 2, exited: 2 });
  });
});

describe('a module that never finishes loading', () => {
  it.each(['worker-blocks-at-load.mjs', 'worker-spins-at-load.mjs'])(
    '%s: ERR_TASK_MODULE_LOAD naming the module, every thread terminated',
    async (module) => {
      const run = runInWorkers(new URL(module, fixtures), {
        tasks: ['task', 'task'],
        taskTimeout: 200,
      });

      const error = await run.then(
        () => expect.fail('expected the run to fail'),
        (thrown: unknown) => thrown as InterleaveError,
      );
      expect(error.code).toBe('ERR_TASK_MODULE_LOAD');
      // The threads found blocked: either one first, or both at one look.
      const message = messageOf(error)
        .replace(module, '<module>')
        .replace(
          /thread of task \d \(`task`\) was|threads of tasks 0 \(`task`\), 1 \(`task`\) were/,
          '<thread(s)>',
        );
      expect(message).toMatchInlineSnapshot(
        `"runInWorkers() could not load the task module <fixtures>/<module>: the worker <thread(s)> blocked for 200 ms while loading it (no event loop turn), so the threads were terminated. Its top level, or that of a module it imports, does not return: a wait without a timeout (Atomics.wait), an endless loop, or a synchronous call that never ends. Move such waiting into the task, or raise \`taskTimeout\` if a top level only runs long."`,
      );
      expect(threads).toEqual({ started: 2, exited: 2 });
    },
  );
});

describe('a module that loads slowly', () => {
  it('is not cut short while its thread is not blocked', async () => {
    const slow = new URL('worker-slow-load.mjs', fixtures);

    await expect(runInWorkers(slow, { tasks: ['task'], taskTimeout: 100 })).resolves.toEqual([
      'loaded',
    ]);
  });
});

describe('taskTimeout is checked', () => {
  it('like every duration, Infinity allowed', async () => {
    await expect(
      runInWorkers(hangs, { tasks: ['finish'], taskTimeout: -1 }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.taskTimeout\` of runInWorkers() to be a positive, finite number of milliseconds (how long each task may run in all, from its start), or Infinity for no bound, got a number (-1). Leave it out for the default (1500 ms).]`,
    );
    await expect(
      runInWorkers(hangs, { tasks: ['finish'], taskTimeout: Infinity }),
    ).resolves.toEqual(['finished']);
  });
});
