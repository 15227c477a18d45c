import { describe, expect, it } from 'vitest';
import { BarrierError, InterleaveError, runInWorkers } from 'interleave';
import { failure } from './support/failure.ts';

const tasksUrl = new URL('./fixtures/worker-tasks.mjs', import.meta.url);

describe('runInWorkers', () => {
  it('runs each export in its own thread, meeting at a blocking barrier, results in order', async () => {
    const results = await runInWorkers(tasksUrl, {
      tasks: ['phases', 'phases', 'phases'],
      data: { rounds: 3 },
    });

    expect(results).toEqual([0, 1, 2].map((index) => ({ index, count: 3, seen: [0, 1, 2] })));
  });

  it('offers an awaitable barrier too, and accepts a path', async () => {
    const results = await runInWorkers(new URL(tasksUrl).pathname, {
      tasks: ['asyncPhases', 'asyncPhases'],
      data: { rounds: 5 },
    });

    expect(results).toEqual([0, 1]);
  });

  it('shares a SharedArrayBuffer in data and structured-clones the rest', async () => {
    const data = { shared: new Int32Array(new SharedArrayBuffer(8)), plain: { a: [1, 2] } };

    const [echoed] = await runInWorkers<typeof data>(tasksUrl, { tasks: ['echoData'], data });

    expect(echoed?.plain).toEqual({ a: [1, 2] });
    expect(echoed?.shared.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('loads TypeScript task modules when the run can load TypeScript', async () => {
    const results = await runInWorkers(
      new URL('./fixtures/worker-tasks-typed.ts', import.meta.url),
      {
        tasks: ['typed', 'typed'],
        data: { base: 10 },
      },
    );

    expect(results).toEqual([10, 11]);
  });

  it('finds the tasks of a CommonJS module on `default` when import() sees no names', async () => {
    const commonJs = new URL('./fixtures/worker-tasks-commonjs.cjs', import.meta.url);

    const results = await runInWorkers(commonJs, { tasks: ['fromCommonJs', 'fromCommonJs'] });

    expect(results).toEqual(['task 0 of 2', 'task 1 of 2']);
  });
});

describe('runInWorkers failures', () => {
  it('keeps message, stack, class, code and fields of a worker error', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['throwCoded'] }));

    const thrown = error.failures[0]?.error as RangeError & { code: string; detail: unknown };
    expect(thrown).toBeInstanceOf(RangeError);
    expect(thrown.message).toBe('the coded failure');
    expect(thrown.code).toBe('E_CUSTOM');
    expect(thrown.detail).toEqual({ table: 'orders' });
    expect(thrown.stack).toContain('worker-tasks.mjs');
  });

  it('breaks the barrier when a thread finishes while another waits', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['waitOnceSync', 'finishEarly'] }));

    const broken = error.failures[0]?.error as BarrierError;
    expect(broken).toBeInstanceOf(BarrierError);
    expect(broken.code).toBe('ERR_BARRIER_BROKEN');
    // Real threads: task 1 may finish before or after task 0 arrives; both break barrier 1.
    expect(broken.message).toMatch(
      /^Barrier 1 can never open: (task 1 finished while 1 task waited at it|task 0 arrived after task 1 had finished)\.\n/,
    );
    expect(error.failures.map((f) => f.index)).toEqual([0]);
  });

  it('times out a wait with the picture of every thread', async () => {
    const error = await failure(
      runInWorkers(tasksUrl, { tasks: ['waitOnce', 'blockForever'], timeout: 100 }),
    );

    const timedOut = error.failures[0]?.error as BarrierError;
    expect(timedOut.code).toBe('ERR_BARRIER_TIMEOUT');
    expect(timedOut.message).toMatchInlineSnapshot(`
      "Barrier 1 timed out after 100 ms with 1 of 2 tasks arrived.
      Tasks:
        task 0: waiting at barrier 1 "ready"
        task 1: still running, not at a barrier (passed 0 barriers)
      Every task must reach each runner.await(). If a task is just slow, raise \`timeout\` in the options of the run (now 100 ms)."
    `);
    const abandoned = error.failures[1]?.error as InterleaveError;
    expect(abandoned.code).toBe('ERR_TASK_ABANDONED');
    expect(abandoned.message).toContain('so its worker thread was terminated');
  });

  it('reports mismatched labels', async () => {
    const error = await failure(
      runInWorkers(tasksUrl, { tasks: ['labelledByIndex', 'labelledByIndex'] }),
    );

    const codes = error.failures.map((f) => (f.error as BarrierError).code);
    expect(codes).toEqual(['ERR_BARRIER_MISMATCH', 'ERR_BARRIER_MISMATCH']);
    // Real threads: the last to arrive finds the mismatch; it arrived, the other waited.
    expect([
      'Barrier 1 got different labels: task 1 arrived with "write" while task 0 waited with "read", so the tasks are out of step.',
      'Barrier 1 got different labels: task 0 arrived with "read" while task 1 waited with "write", so the tasks are out of step.',
    ]).toContain((error.failures[0]?.error as Error).message.split('\n')[0]);
  });

  it('turns a thread that exits into ERR_WORKER_CRASHED and wakes the waiters', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['waitOnceSync', 'crash'] }));

    const crashed = error.failures.find((f) => f.index === 1)?.error as InterleaveError;
    expect(crashed.code).toBe('ERR_WORKER_CRASHED');
    expect(crashed.message).toMatchInlineSnapshot(
      `"The worker thread of task 1 (\`crash\`) exited with code 3 while running its task, without reporting an outcome (process.exit() in the task, or the thread ran out of memory)."`,
    );
    expect((error.failures[0]?.error as BarrierError).code).toBe('ERR_BARRIER_BROKEN');
  });

  it('reports an uncaught error thrown later in a thread', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['uncaughtLater'] }));

    expect((error.failures[0]?.error as Error).message).toBe('thrown from a timer');
  });

  it('fails a task whose return value cannot cross threads', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['unclonable'] }));

    expect((error.failures[0]?.error as Error).name).toBe('DataCloneError');
  });

  it('names an unknown export and the ones that exist, before any task runs', async () => {
    const run = runInWorkers(tasksUrl, { tasks: ['phases', 'phasez'] });

    await expect(run).rejects.toMatchObject({ code: 'ERR_UNKNOWN_EXPORT' });
    await expect(run).rejects.toThrow(
      /^runInWorkers\(\) task 1 names the export `phasez`, but file:\/\/.+worker-tasks\.mjs has no such export\. Exported functions: .*phases.*\. Check the name in `tasks`\.$/,
    );
  });

  it('says when an export is not a function', async () => {
    await expect(runInWorkers(tasksUrl, { tasks: ['notAFunction'] })).rejects.toThrow(
      'exports it as a number, not a function',
    );
  });

  it('settle: true resolves to settled results', async () => {
    const results = await runInWorkers(tasksUrl, {
      tasks: ['finishEarly', 'throwCoded'],
      settle: true,
    });

    expect(results[0]).toEqual({ status: 'fulfilled', value: 'finished without waiting' });
    expect(results[1]?.status).toBe('rejected');
  });
});

describe('runInWorkers across three threads and in the gaps', () => {
  it('never reports a barrier that opened as broken, though a later one breaks (10 runs)', async () => {
    for (let run = 0; run < 10; run++) {
      const results = await runInWorkers(tasksUrl, {
        tasks: ['passOneThenReturn', 'passOneAndTwo', 'passOneSyncThenReturn'],
        settle: true,
      });

      expect(results[0]).toEqual({ status: 'fulfilled', value: 'ok' });
      expect(results[2]).toEqual({ status: 'fulfilled', value: 'ok' });
      const broken = (results[1] as PromiseRejectedResult).reason as BarrierError;
      expect(broken.code).toBe('ERR_BARRIER_BROKEN');
      expect(broken.barrier).toBe(2);
    }
  }, 60_000); // ten runs of three threads each: seconds on a loaded machine

  it('names the root failure first, not the failures it caused (10 runs)', async () => {
    for (let run = 0; run < 10; run++) {
      const error = await failure(
        runInWorkers(tasksUrl, { tasks: ['waitOnceSync', 'throwRoot', 'waitOnce'] }),
      );

      expect(error.cause).toMatchObject({ code: 'E_ROOT' });
      expect(error.message).toContain('task 1 (failed first): Error [E_ROOT]: the root failure');
    }
  }, 60_000); // ten runs of three threads each: seconds on a loaded machine

  it('reports an error thrown after loading but before the start, without crashing', async () => {
    const url = new URL('./fixtures/worker-load-race.mjs', import.meta.url);

    const flag = new Int32Array(new SharedArrayBuffer(4));

    await expect(runInWorkers(url, { tasks: ['task', 'task'], data: { flag } })).rejects.toThrow(
      'uncaught before the start',
    );
  });

  it('passes a thrown non-Error on as the value itself', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['throwString'] }));

    expect(error.failures[0]?.error).toBe('a plain string');
  });

  it('keeps an AggregateError with its errors', async () => {
    const error = await failure(runInWorkers(tasksUrl, { tasks: ['throwAggregate'] }));

    const aggregate = error.failures[0]?.error as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(aggregate.errors).toEqual([new TypeError('inner one'), new RangeError('inner two')]);
  });

  it("aborts the other threads' signal with the failing task's error", async () => {
    const results = await runInWorkers(tasksUrl, {
      tasks: ['throwCoded', 'abortReason'],
      settle: true,
    });

    expect(results[1]).toEqual({ status: 'fulfilled', value: 'E_CUSTOM' });
  });
});

describe('runInWorkers bad input', () => {
  const call = runInWorkers as (...args: unknown[]) => Promise<unknown>;

  it('a relative module path', async () => {
    await expect(call('./tasks.mjs', { tasks: ['a'] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`moduleUrl\` of runInWorkers() to be a URL or an absolute path of the module whose exports are the tasks, got a string ("./tasks.mjs"). Relative paths are ambiguous in a worker: write new URL('./tasks.mjs', import.meta.url).]`,
    );
  });

  it('no tasks, or a task that is not a name', async () => {
    await expect(call(tasksUrl, { tasks: [] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.tasks\` of runInWorkers() to be a non-empty array of export names, one per thread, got an array of length 0. Write e.g. { tasks: ['reader', 'writer'] }.]`,
    );
    await expect(call(tasksUrl, { tasks: ['a', 3] })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[TypeError: Expected \`options.tasks[1]\` of runInWorkers() to be the name of an exported function, got a number (3).]`,
    );
    await expect(call(tasksUrl)).rejects.toThrow('Expected `options.tasks`');
  });

  it('a bad timeout, an unknown option, bad execArgv', async () => {
    await expect(call(tasksUrl, { tasks: ['a'], timeout: -1 })).rejects.toThrow(
      'Expected `options.timeout` of runInWorkers() to be a positive, finite number',
    );
    await expect(call(tasksUrl, { tasks: ['a'], task: ['b'] })).rejects.toThrow(
      'Unknown option `task` in the options of runInWorkers()',
    );
    await expect(call(tasksUrl, { tasks: ['a'], execArgv: '--import tsx' })).rejects.toThrow(
      'Expected `options.execArgv` of runInWorkers() to be an array of strings',
    );
  });
});
