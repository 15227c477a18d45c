/**
 * What each task of {@link runInParallel} gets: its place in the run, the barrier, and a
 * signal that aborts as soon as any task fails.
 *
 * @example
 * ```ts
 * import { runInParallel, type Runner } from 'interleave';
 *
 * let stored = 100;
 * const readBalance = async () => stored;
 * const writeBalance = async (balance: number, _options: { signal: AbortSignal }) => {
 *   stored = balance;
 * };
 * async function transfer(runner: Runner) {
 *   const balance = await readBalance();
 *   await runner.await('read'); // every task has read before any writes
 *   await writeBalance(balance - 10, { signal: runner.signal });
 * }
 * await runInParallel(transfer, transfer);
 * ```
 */
export interface Runner {
  /** This task's position among the tasks, from 0. */
  readonly index: number;
  /** How many tasks run together. */
  readonly count: number;
  /**
   * Waits until every task has called `await()` (with the same label) the same number of
   * times; then all of them go on, in task order. Rejects with a `BarrierError` when that
   * can never happen (a task finished or failed, the timeout passed, labels differ).
   */
  await(label?: string): Promise<void>;
  /** Aborts (with the failing task's error as `reason`) as soon as any task fails. */
  readonly signal: AbortSignal;
}

/**
 * One task of {@link runInParallel}: receives its {@link Runner}, may be async.
 *
 * @example
 * ```ts
 * import type { Task } from 'interleave';
 *
 * const check: Task<boolean> = async (runner) => {
 *   await runner.await();
 *   return true;
 * };
 * ```
 */
export type Task<T = unknown> = (runner: Runner) => T | Promise<T>;

/**
 * Options of {@link runInParallel} (and the `timeout` of `runInWorkers`).
 *
 * @example
 * ```ts
 * import { runInParallel } from 'interleave';
 *
 * const results = await runInParallel([() => 1, () => Promise.reject(new Error('no'))], {
 *   timeout: 1000,
 *   settle: true,
 * });
 * console.log(results[1]?.status); // 'rejected'
 * ```
 */
export interface ParallelOptions {
  /**
   * Milliseconds one barrier wait may take, from the first arrival; also how long the other
   * tasks get to settle once one has failed. Default 500: a failing run reports within about
   * 1000 ms, before Mocha's 2000 ms test timeout (see docs/test-runners.md).
   */
  timeout?: number;
  /**
   * Milliseconds each task may run in all, from its start (the tasks start together, so this
   * bounds the run). A task still running then fails with `ERR_TASK_TIMEOUT`, which says where
   * it was (the last barrier it passed), and `runner.signal` aborts. It catches what no barrier
   * can: a task that never settles and never reaches a barrier. Default 1500: past the barrier
   * path (2 x `timeout`) and PostgreSQL's 1 s deadlock detection, within Mocha's 2000 ms (see
   * docs/test-runners.md). `Infinity` for no bound.
   *
   * @example
   * ```ts
   * import { runInParallel } from 'interleave';
   *
   * // Tasks that do seconds of work each.
   * await runInParallel([async () => 'slow import', async () => 'slow export'], {
   *   taskTimeout: 10_000,
   * });
   * ```
   */
  taskTimeout?: number;
  /** Resolve to `PromiseSettledResult`s instead of rejecting when a task fails. */
  settle?: boolean;
}

/** The results of a tuple of tasks, in task order. */
export type TaskResults<Tasks extends readonly Task[]> = {
  -readonly [K in keyof Tasks]: Awaited<ReturnType<Tasks[K]>>;
};

/** The settled results of a tuple of tasks, in task order. */
export type SettledTaskResults<Tasks extends readonly Task[]> = {
  -readonly [K in keyof Tasks]: PromiseSettledResult<Awaited<ReturnType<Tasks[K]>>>;
};
