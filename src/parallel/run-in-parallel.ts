import { InterleaveError } from '../errors.ts';
import { ArgumentError } from '../argument-error.ts';
import { invalid, listItems, parseOptions } from '../internal/options.ts';
import { ownString } from '../internal/class-name.ts';
import { AsyncBarrier } from './async-barrier.ts';
import { RunOutcomes } from './run-outcomes.ts';
import { timeOutTasks } from './task-timeout.ts';
import type { ParallelOptions, Runner, SettledTaskResults, Task, TaskResults } from './types.ts';
import { RUN_OPTIONS, runOptionsShape, validateLabel } from './validate.ts';
import { hasThenMethod, isArray } from '../internal/peek.ts';

/**
 * Runs tasks concurrently, each with a {@link Runner} whose `await()` is a barrier that
 * every task must reach before any goes on. Tasks start in order, each running until its
 * first `await`. A check-then-act race reproduces on the first run: both tasks check,
 * meet at the barrier, then both act.
 *
 * Resolves to the tasks' results in task order. If any task fails, rejects with a
 * {@link ParallelError} once all tasks have settled (or resolves to
 * `PromiseSettledResult`s with `settle: true`). Barriers never hang: see `BarrierError`.
 * Takes 1 to 1024 tasks; an array with holes is an `ArgumentError`.
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
  // isArray and hasThenMethod run no Proxy trap (and do not throw on a revoked Proxy).
  if (isArray(args[0])) {
    if (args.length > 2) {
      const received = `an array followed by ${args.length - 1} more arguments`;
      throw new ArgumentError(
        `runInParallel() takes either tasks as arguments, runInParallel(a, b), or an array and options, runInParallel([a, b], { timeout }); got ${received}.`,
        { ...TASKS, expected: 'tasks as arguments, or an array and options', received },
      );
    }
    tasks = args[0];
    options = args[1];
  } else {
    tasks = args;
  }
  const valid = parseOptions(options, runOptionsShape('runInParallel', true), RUN_OPTIONS);
  if (tasks.length === 0) {
    throw new ArgumentError(
      'runInParallel() needs at least one task, got none. Pass functions, e.g. runInParallel(async (runner) => { ... }, async (runner) => { ... }).',
      { ...TASKS, expected: 'at least one task', received: 'none' },
    );
  }
  const checked = listItems(tasks, TASKS, {
    expected: 'an array of functions (runner) => ...',
    item: (task, index) => {
      if (typeof task === 'function') return task as Task;
      const hint = hasThenMethod(task)
        ? 'Pass the function itself, not the promise it returns.'
        : '';
      const place = {
        ...TASKS,
        argument: `tasks[${index}]`,
        subject: `task ${index} of runInParallel()`,
      };
      return invalid(place, 'a function (runner) => ...', task, hint);
    },
  });
  return run(checked, valid);
}

const TASKS = { api: 'runInParallel', argument: 'tasks' };

/** The run's options, checked. */
interface RunOptions {
  readonly timeout: number;
  readonly taskTimeout: number;
  readonly settle: boolean;
}

function run(tasks: Task[], { timeout, taskTimeout, settle }: RunOptions): Promise<unknown[]> {
  const count = tasks.length;
  const barrier = new AsyncBarrier(count, timeout);
  const controller = new AbortController();
  const names = tasks.map((task) => ownString(task, 'name'));
  const outcomes = new RunOutcomes(count, timeout, settle, {
    onFirstFailure: ({ error }) => {
      controller.abort(error);
    },
    abandon: (index, first) =>
      new InterleaveError(
        'ERR_TASK_ABANDONED',
        `Task ${index} was still running ${timeout} ms after task ${first.index} failed, so the run stopped waiting for it (async code cannot be stopped from outside). Make the task return when \`runner.signal\` aborts, or raise \`timeout\`.`,
      ),
    timeOut: (pending) => timeOutTasks(pending, barrier, names, { taskTimeout, threads: false }),
  });
  outcomes.startClock(taskTimeout);
  tasks.forEach((task, index) => {
    const runner = createRunner(index, count, barrier, controller.signal);
    // Runs the task synchronously up to its first `await`; a synchronous throw rejects.
    (async () => task(runner))().then(
      (value) => {
        if (outcomes.has(index)) return; // abandoned or timed out
        barrier.finish(index);
        outcomes.fulfil(index, value);
      },
      (reason: unknown) => {
        if (outcomes.has(index)) return;
        barrier.fail(index, reason);
        outcomes.reject(index, reason);
      },
    );
  });
  return outcomes.done.finally(() => {
    barrier.close();
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
