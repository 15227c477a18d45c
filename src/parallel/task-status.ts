/**
 * Where one task of a parallel run is, as barrier errors report it. `passed` counts the
 * barriers the task has gone through; a waiting task waits at barrier `passed + 1`.
 *
 * @example
 * ```ts
 * import { type TaskStatus } from 'interleave';
 *
 * const waiting: TaskStatus = { state: 'waiting', passed: 0, label: 'checked' };
 * ```
 */
export type TaskStatus =
  | { readonly state: 'running'; readonly passed: number }
  | { readonly state: 'waiting'; readonly passed: number; readonly label: string | undefined }
  | { readonly state: 'finished'; readonly passed: number }
  | { readonly state: 'failed'; readonly passed: number; readonly error: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `"checked"` or `(no label)`, for messages. */
export function formatLabel(label: string | undefined): string {
  return label === undefined ? '(no label)' : JSON.stringify(label);
}

/** One line per task, e.g. `task 0: waiting at barrier 1 "checked"`. */
export function formatStatuses(tasks: readonly TaskStatus[]): string {
  return tasks
    .map((task, index) => {
      switch (task.state) {
        case 'waiting':
          return `  task ${index}: waiting at barrier ${task.passed + 1} ${formatLabel(task.label)}`;
        case 'running':
          return `  task ${index}: still running, not at a barrier (passed ${plural(task.passed, 'barrier')})`;
        case 'finished':
          return `  task ${index}: finished (passed ${plural(task.passed, 'barrier')})`;
        case 'failed':
          return `  task ${index}: failed (passed ${plural(task.passed, 'barrier')}): ${task.error}`;
      }
    })
    .join('\n');
}
