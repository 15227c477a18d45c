/**
 * Every stable error code that interleave throws. Codes never change meaning between
 * releases, so tests and tools may branch on them.
 *
 * @example
 * ```ts
 * import { InterleaveError, type InterleaveErrorCode } from 'interleave';
 *
 * function isNotPatchable(err: unknown): boolean {
 *   const code: InterleaveErrorCode = 'ERR_NOT_PATCHABLE';
 *   return err instanceof InterleaveError && err.code === code;
 * }
 * ```
 */
export type InterleaveErrorCode =
  /** An async hook was put around a function that returned synchronously. */
  | 'ERR_ASYNC_HOOK_ON_SYNC_FUNCTION'
  /** The property cannot be replaced (an ES module namespace, a frozen object, ...). */
  | 'ERR_NOT_PATCHABLE'
  /** A hook was restored before it fired, so its `triggered` promise can never resolve. */
  | 'ERR_HOOK_RESTORED'
  /** A hook was restored without ever firing, and its options say `unfired: 'throw'`. */
  | 'ERR_HOOK_NEVER_FIRED'
  /** A promise a hook returned did not settle within the hook's `timeout`. */
  | 'ERR_HOOK_TIMEOUT'
  /** A task finished or failed while others waited at a barrier (or reached one after). */
  | 'ERR_BARRIER_BROKEN'
  /** A barrier wait took longer than the run's `timeout`. */
  | 'ERR_BARRIER_TIMEOUT'
  /** Tasks waited at one barrier under different labels, or a task arrived twice. */
  | 'ERR_BARRIER_MISMATCH'
  /** One or more tasks of `runInParallel` / `runInWorkers` failed (a `ParallelError`). */
  | 'ERR_TASKS_FAILED'
  /** A task was still running long after the run had failed, and was given up on. */
  | 'ERR_TASK_ABANDONED'
  /** A task of `runInParallel` / `runInWorkers` was still running `taskTimeout` ms after it started. */
  | 'ERR_TASK_TIMEOUT'
  /** `runInWorkers` was asked for an export its module does not have (or not a function). */
  | 'ERR_UNKNOWN_EXPORT'
  /** A worker thread could not load the task module (e.g. TypeScript without a loader). */
  | 'ERR_TASK_MODULE_LOAD'
  /** A worker thread exited without reporting its task's outcome. */
  | 'ERR_WORKER_CRASHED'
  /** `explore` found a schedule in which a task threw or `check` failed (a `RaceError`). */
  | 'ERR_RACE_FOUND'
  /** `explore` found a schedule in which every unfinished task was blocked (a `RaceError`). */
  | 'ERR_DEADLOCK'
  /** `explore` found a schedule that did not finish within `maxSteps` steps (a `RaceError`). */
  | 'ERR_LIVELOCK'
  /** A replay token is malformed, or was made for a different `explore` call. */
  | 'ERR_REPLAY_INVALID'
  /** A replay could not follow its token: the program or its timing changed. */
  | 'ERR_REPLAY_DIVERGED'
  /** No schedule of `explore` had a choice: no task reached a scheduling point after its start. */
  | 'ERR_NOTHING_TO_EXPLORE'
  /** A promise that explore's `setup`, `points`, `check` or `teardown` returned never settled. */
  | 'ERR_CALLBACK_TIMEOUT';

/**
 * The base class of every error interleave throws on purpose (a bad argument is an
 * `ArgumentError`, a `TypeError`). `code` is stable; `cause` is kept when one error led to another.
 *
 * @example
 * ```ts
 * import { after, InterleaveError } from 'interleave';
 *
 * try {
 *   after(Object.freeze({ run() {} }), 'run', () => {});
 * } catch (err) {
 *   if (err instanceof InterleaveError) console.log(err.code); // 'ERR_NOT_PATCHABLE'
 * }
 * ```
 */
export class InterleaveError extends Error {
  /** The stable machine-readable code, e.g. `ERR_NOT_PATCHABLE`. */
  readonly code: InterleaveErrorCode;

  constructor(code: InterleaveErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  override get name(): string {
    return 'InterleaveError';
  }
}
