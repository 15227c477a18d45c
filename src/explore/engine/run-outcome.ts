import type { TraceStep } from '../../trace/types.ts';
import type { Decision, RunFailure, RunResult } from './run-types.ts';

/**
 * What one schedule produces besides its trace and decisions: each task's result, why it
 * failed, the errors thrown after that, and the tasks abandoned. Its {@link result} is the
 * `RunResult` the schedule resolves with.
 */
export class RunOutcome {
  readonly result: RunResult;

  constructor(trace: readonly TraceStep[], decisions: readonly Decision[]) {
    this.result = {
      failure: undefined,
      results: [],
      trace,
      decisions,
      abandoned: [],
      lateErrors: [],
      blockedSettled: false,
    };
  }

  get failure(): RunFailure | undefined {
    return this.result.failure;
  }

  fail(failure: RunFailure): void {
    this.result.failure = failure;
  }

  /**
   * The function of `task` returned `value` (`ok`) or threw it. A throw fails the schedule
   * (unless it has failed already), or, once the schedule is `released` after a failure, is a
   * late error.
   */
  taskSettled(task: number, ok: boolean, value: unknown, released: boolean): void {
    const result = this.result;
    if (ok) result.results[task] = value;
    else if (released) result.lateErrors.push({ task, error: value });
    else result.failure ??= { kind: 'task', task, error: value };
  }

  /**
   * Settling after a failure is over and `tasks` never settled. A deadlock whose blocked tasks
   * all settled without error once released may have been slow rather than stuck.
   */
  abandon(tasks: readonly number[]): void {
    const result = this.result;
    result.abandoned.push(...tasks);
    if (result.failure?.kind !== 'deadlock') return;
    const blocked = result.failure.blocked;
    result.blockedSettled =
      result.abandoned.length === 0 &&
      !result.lateErrors.some((late) => blocked.includes(late.task));
  }
}
