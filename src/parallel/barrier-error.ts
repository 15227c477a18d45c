import { InterleaveError } from '../errors.ts';
import { formatStatuses, type TaskStatus } from './task-status.ts';

/** The codes a {@link BarrierError} can have. */
export type BarrierErrorCode =
  'ERR_BARRIER_BROKEN' | 'ERR_BARRIER_TIMEOUT' | 'ERR_BARRIER_MISMATCH';

/**
 * A barrier wait that cannot complete: a task finished or failed while others waited
 * (`ERR_BARRIER_BROKEN`), the wait exceeded the timeout (`ERR_BARRIER_TIMEOUT`), or tasks
 * arrived under different labels (`ERR_BARRIER_MISMATCH`). The message lists every task;
 * `tasks` holds the same picture as data.
 *
 * @example
 * ```ts
 * import { BarrierError, runInParallel } from 'interleave';
 *
 * try {
 *   await runInParallel(
 *     async (runner) => runner.await('checked'),
 *     async () => 'done without waiting',
 *   );
 * } catch (error) {
 *   const cause = (error as AggregateError).errors[0];
 *   if (cause instanceof BarrierError) console.log(cause.code, cause.tasks);
 * }
 * ```
 */
export class BarrierError extends InterleaveError {
  /** The barrier (1-based: the first `runner.await()` is barrier 1) that could not complete. */
  readonly barrier: number;
  /** Every task's status when the barrier broke, in task order. */
  readonly tasks: readonly TaskStatus[];

  constructor(
    code: BarrierErrorCode,
    message: string,
    details: { barrier: number; tasks: readonly TaskStatus[] },
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.barrier = details.barrier;
    this.tasks = details.tasks;
  }

  override get name(): string {
    return 'BarrierError';
  }
}

const ADVICE: Record<BarrierErrorCode, string> = {
  ERR_BARRIER_BROKEN:
    'Every task must call runner.await() the same number of times; a failing task breaks the barrier for the others, so fix that failure first.',
  ERR_BARRIER_TIMEOUT:
    'Every task must reach each runner.await(). If a task is just slow, raise `timeout` in the options of the run (now {timeout} ms).',
  ERR_BARRIER_MISMATCH:
    'Make every task await the same labels in the same order (labels match only when equal; no label matches only no label).',
};

/** Where a barrier stood: its number for the task told, every task's status, the timeout. */
export interface BarrierScene {
  readonly barrier: number;
  readonly tasks: readonly TaskStatus[];
  readonly timeout: number;
}

/**
 * Builds a BarrierError: the headline, every task's status, and what to do about it. The
 * headlines are in `barrier-messages.ts`.
 */
export function barrierError(
  code: BarrierErrorCode,
  headline: string,
  details: BarrierScene,
  cause?: unknown,
): BarrierError {
  const advice = ADVICE[code].replace('{timeout}', String(details.timeout));
  return new BarrierError(
    code,
    `${headline}\nTasks:\n${formatStatuses(details.tasks)}\n${advice}`,
    { barrier: details.barrier, tasks: details.tasks },
    cause === undefined ? undefined : { cause },
  );
}
