import { InterleaveError } from '../errors.ts';
import { describeValue } from '../internal/describe.ts';
import { AsyncBarrier } from './async-barrier.ts';
import { ParallelError, type TaskFailure } from './parallel-error.ts';
import type { ParallelOptions, Runner, SettledTaskResults, Task, TaskResults } from './types.ts';
import { validateLabel, validateRunOptions } from './validate.ts';

/**
 * Runs tasks concurrently, each with a {@link Runner} whose `await()` is a barrier that
 * every task must reach before any goes on. Tasks start in order, each running until its
 * first `await`. A check-then-act race reproduces on the first run: both tasks check,
 * meet at the barrier, then both act.
 *
 * Resolves to the tasks' results in task order. If any task fails, rejects with a
 * {@link ParallelError} once all tasks have settled (or resolves to
 * `PromiseSettledResult`s with `settle: true`). Barriers never hang: see `BarrierError`.
 *
 * @example
 * ```ts
 * import { runInParallel } from 'interleave';
 *
 * const box = { items: ['apple'], max: 2 };
 * await runInParallel(
 *   async (runner) => {
 *     const fits = box.items.length < box.max;
 *     await runner.await();
 *     if (fits) box.items.push('banana');
 *   },
 *   async (runner) => {
 *     const fits = box.items.length < box.max;
 *     await runner.await();
 *     if (fits) box.items.push('orange');
 *   },
 * );
 * console.log(box.items); // ['apple', 'banana', 'orange']: over capacity
 * ```
 */
export function runInParallel<const Tasks extends readonly Task[]>(
  ...tasks: Tasks
): Promise<TaskResults<Tasks>>;
export function runInParallel<const Tasks extends readonly Task[]>(
  tasks: Tasks,
  options: ParallelOptions & { settle: true },
): Promise<SettledTaskResults<Tasks>>;
export function runInParallel<const Tasks extends readonly Task[]>(
  tasks: Tasks,
  options?: ParallelOptions & { settle?: false },
): Promise<TaskResults<Tasks>>;
export function runInParallel<const Tasks extends readonly Task[]>(
  tasks: Tasks,
  options?: ParallelOptions,
): Promise<TaskResults<Tasks> | SettledTaskResults<Tasks>>;
export function runInParallel(...args: unknown[]): Promise<unknown[]> {
  let tasks: unknown[];
  let options: unknown;
  if (Array.isArray(args[0])) {
    if (args.length > 2) {
      throw new TypeError(
        `runInParallel() takes either tasks as arguments, runInParallel(a, b), or an array and options, runInParallel([a, b], { timeout }); got an array followed by ${args.length - 1} more arguments.`,
      );
    }
    tasks = args[0] as unknown[];
    options = args[1];
  } else {
    tasks = args;
  }
  const valid = validateRunOptions('runInParallel', options, ['timeout', 'settle']);
  if (tasks.length === 0) {
    throw new TypeError(
      'runInParallel() needs at least one task, got none. Pass functions, e.g. runInParallel(async (runner) => { ... }, async (runner) => { ... }).',
    );
  }
  tasks.forEach((task, index) => {
    if (typeof task !== 'function') {
      const hint =
        typeof (task as { then?: unknown } | null)?.then === 'function'
          ? ' Pass the function itself, not the promise it returns.'
          : '';
      throw new TypeError(
        `Expected task ${index} of runInParallel() to be a function (runner) => ..., got ${describeValue(task)}.${hint}`,
      );
    }
  });
  return run(tasks as Task[], valid.timeout, valid.settle);
}

function run(tasks: Task[], timeout: number, settle: boolean): Promise<unknown[]> {
  const count = tasks.length;
  const barrier = new AsyncBarrier(count, timeout);
  const controller = new AbortController();
  const outcomes: (PromiseSettledResult<unknown> | undefined)[] = Array.from({ length: count });
  let first: TaskFailure | undefined;
  let pending = count;
  let grace: NodeJS.Timeout | undefined;

  return new Promise<unknown[]>((resolve, reject) => {
    const finishRun = () => {
      clearTimeout(grace);
      barrier.close();
      const results = outcomes as PromiseSettledResult<unknown>[];
      if (settle) {
        resolve(results);
        return;
      }
      if (first === undefined) {
        resolve(results.map((r) => (r as PromiseFulfilledResult<unknown>).value));
        return;
      }
      const failures: TaskFailure[] = [];
      results.forEach((outcome, index) => {
        if (outcome.status === 'rejected') failures.push({ index, error: outcome.reason });
      });
      reject(new ParallelError(failures, count, first));
    };

    const abandonRest = () => {
      outcomes.forEach((outcome, index) => {
        if (outcome !== undefined) return;
        outcomes[index] = {
          status: 'rejected',
          reason: new InterleaveError(
            'ERR_TASK_ABANDONED',
            `Task ${index} was still running ${timeout} ms after task ${first?.index ?? '?'} failed, so the run stopped waiting for it (async code cannot be stopped from outside). Make the task return when \`runner.signal\` aborts, or raise \`timeout\`.`,
          ),
        };
      });
      pending = 0;
      finishRun();
    };

    const settleTask = (index: number, outcome: PromiseSettledResult<unknown>) => {
      if (outcomes[index] !== undefined) return; // abandoned earlier
      outcomes[index] = outcome;
      pending--;
      if (outcome.status === 'fulfilled') {
        barrier.finish(index);
      } else {
        barrier.fail(index, outcome.reason);
        if (first === undefined) {
          first = { index, error: outcome.reason };
          controller.abort(outcome.reason);
          // The others get `timeout` ms to notice (signal, broken barrier) and settle.
          if (pending > 0) grace = setTimeout(abandonRest, timeout);
        }
      }
      if (pending === 0) finishRun();
    };

    tasks.forEach((task, index) => {
      const runner = createRunner(index, count, barrier, controller.signal);
      // Runs the task synchronously up to its first `await`; a synchronous throw rejects.
      const result = (async () => task(runner))();
      result.then(
        (value) => {
          settleTask(index, { status: 'fulfilled', value });
        },
        (reason: unknown) => {
          settleTask(index, { status: 'rejected', reason });
        },
      );
    });
  });
}

function createRunner(
  index: number,
  count: number,
  barrier: AsyncBarrier,
  signal: AbortSignal,
): Runner {
  return Object.freeze({
    index,
    count,
    signal,
    // `async`: a bad label rejects like every other barrier failure, never throws.
    async await(label?: string): Promise<void> {
      return barrier.arrive(index, validateLabel('runner.await', label));
    },
  });
}
