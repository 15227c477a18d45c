import type { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from '../../internal/thenable.ts';
import type { TaskContext } from './task-context.ts';

/**
 * Calls a task's function in the task's async context (so its scheduling points know their
 * schedule and task), and reports once how it settled: `ok` with what it returned (awaited),
 * or not with what it threw or rejected with. A function that returns no promise settles at
 * once, without a microtask hop.
 */
export function runTask(
  storage: AsyncLocalStorage<TaskContext>,
  context: TaskContext,
  fn: (ctx: unknown) => unknown,
  ctx: unknown,
  settled: (ok: boolean, value: unknown) => void,
): void {
  storage.run(context, () => {
    let returned: unknown;
    try {
      returned = fn(ctx);
    } catch (error) {
      settled(false, error);
      return;
    }
    if (isThenable(returned)) {
      Promise.resolve(returned).then(
        (value) => {
          settled(true, value);
        },
        (error: unknown) => {
          settled(false, error);
        },
      );
    } else {
      settled(true, returned);
    }
  });
}
