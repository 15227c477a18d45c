/**
 * What each task of {@link runInWorkers} gets in its thread: its place in the run and the
 * shared barrier, awaitable or blocking.
 *
 * @example
 * ```ts
 * // tasks.ts, run by runInWorkers(new URL('./tasks.ts', import.meta.url), { tasks: ['add', 'add'], data })
 * import type { WorkerRunner } from 'interleave';
 *
 * export function add(runner: WorkerRunner, { counter }: { counter: Int32Array }) {
 *   const seen = counter[0] ?? 0;
 *   runner.awaitSync('read'); // blocks this thread until every thread has read
 *   counter[0] = seen + 1;
 * }
 * ```
 */
export interface WorkerRunner {
  /** This task's position among the tasks, from 0. */
  readonly index: number;
  /** How many tasks (threads) run together. */
  readonly count: number;
  /** Waits, without blocking the thread's event loop, until every thread arrived. */
  await(label?: string): Promise<void>;
  /** Blocks the thread (Atomics.wait) until every thread arrived. */
  awaitSync(label?: string): void;
  /** Aborts as soon as any task of the run fails (delivered when this thread's loop runs). */
  readonly signal: AbortSignal;
}

/**
 * Options of {@link runInWorkers}.
 *
 * @example
 * ```ts
 * import { runInWorkers } from 'interleave';
 *
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * await runInWorkers(new URL('./tasks.mjs', import.meta.url), {
 *   tasks: ['add', 'add'],
 *   data: { counter },
 *   timeout: 2000,
 * });
 * ```
 */
export interface WorkerOptions {
  /**
   * The names of the module's exports to run, one thread each, in task order: 1 to 256 of
   * them (each thread is a whole V8 instance), with no holes.
   */
  tasks: readonly string[];
  /** Passed to every task as its second argument (structured-cloned; SharedArrayBuffers are shared). */
  data?: unknown;
  /**
   * Milliseconds one barrier wait may take, from the first arrival; also how long the other
   * threads get to settle once one has failed. Default 500 (see docs/test-runners.md).
   */
  timeout?: number;
  /**
   * Milliseconds each task may run in all, from its start; also how long a thread may stay
   * blocked (its event loop stopped) while it loads the task module. A task still running then
   * fails with `ERR_TASK_TIMEOUT` (naming the last barrier it passed), a module that blocks at
   * its top level with `ERR_TASK_MODULE_LOAD`; their threads are terminated. It catches what
   * no barrier can: `Atomics.wait` on a cell nobody notifies, an endless loop, a promise that
   * never settles. A module that loads slowly without blocking (tsx compiling TypeScript) is
   * not cut short. Default 1500 (see docs/test-runners.md); `Infinity` for no bound.
   */
  taskTimeout?: number;
  /** Resolve to `PromiseSettledResult`s instead of rejecting when a task fails. */
  settle?: boolean;
  /**
   * Node options for the worker threads, e.g. `['--import', 'tsx']`; they replace the ones the
   * threads inherit from this process by default. Not a copy of `process.execArgv`: under
   * `node --test` on Node 24 it holds options that worker threads refuse.
   */
  execArgv?: readonly string[];
  /**
   * Bounds on each thread's memory, as Node's `Worker` takes them (`maxOldGenerationSizeMb`,
   * `maxYoungGenerationSizeMb`, `codeRangeSizeMb`, `stackSizeMb`, in megabytes). A thread
   * that runs out is stopped by Node and its task fails with `ERR_WORKER_CRASHED`, naming
   * Node's `ERR_WORKER_OUT_OF_MEMORY`. Default: Node's (the limits of this process).
   *
   * @example
   * ```ts
   * import { runInWorkers } from 'interleave';
   *
   * await runInWorkers(new URL('./tasks.mjs', import.meta.url), {
   *   tasks: ['importCsv', 'importCsv'],
   *   resourceLimits: { maxOldGenerationSizeMb: 256 },
   * });
   * ```
   */
  resourceLimits?: {
    readonly maxOldGenerationSizeMb?: number;
    readonly maxYoungGenerationSizeMb?: number;
    readonly codeRangeSizeMb?: number;
    readonly stackSizeMb?: number;
  };
}
