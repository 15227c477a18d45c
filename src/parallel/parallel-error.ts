import { errorText } from '../internal/error-text.ts';

/** One failed task of a run: its index and what it threw. */
export interface TaskFailure {
  readonly index: number;
  readonly error: unknown;
}

/**
 * `runInParallel` and `runInWorkers` reject with this when any task failed, once every task
 * has settled. It is an `AggregateError`: `errors` holds the failures' errors in task
 * order, `failures` pairs each with its task index, and `cause` is the error of the task
 * that failed first (the others often fail only because it broke a barrier).
 *
 * @example
 * ```ts
 * import { ParallelError, runInParallel } from 'interleave';
 *
 * try {
 *   await runInParallel(
 *     () => 'ok',
 *     () => {
 *       throw new Error('boom');
 *     },
 *   );
 * } catch (error) {
 *   if (error instanceof ParallelError) console.log(error.failures[0]?.index); // 1
 * }
 * ```
 */
export class ParallelError extends AggregateError {
  /** Always `ERR_TASKS_FAILED`. */
  readonly code = 'ERR_TASKS_FAILED' as const;
  /** The failed tasks, in task order. */
  readonly failures: readonly TaskFailure[];

  constructor(failures: readonly TaskFailure[], count: number, first: TaskFailure) {
    const sorted = [...failures].sort((a, b) => a.index - b.index);
    const lines = sorted.map(({ index, error }) => {
      const mark = index === first.index ? ' (failed first)' : '';
      return `  task ${index}${mark}: ${indent(errorText(error))}`;
    });
    super(
      sorted.map((f) => f.error),
      `${sorted.length} of ${count} tasks failed:\n${lines.join('\n')}`,
      { cause: first.error },
    );
    this.failures = sorted;
  }

  override get name(): string {
    return 'ParallelError';
  }
}

function indent(text: string): string {
  return text.replaceAll('\n', '\n    ');
}
