import { invalid } from '../internal/options.ts';
import { currentTask, pointOutsideTasks } from './engine/task-context.ts';

const RESOLVED = Promise.resolve();

/**
 * A scheduling point: inside a task of {@link explore}, the task parks here and the scheduler
 * decides who runs next. Anywhere else it does nothing (it returns an already resolved
 * promise), so it can stay in application code between a read and a write.
 *
 * @param label - the point's name in the trace. Default `checkpoint`.
 *
 * @example
 * ```ts
 * import { checkpoint } from 'interleave';
 *
 * async function transfer(from: { balance: number }, to: { balance: number }, amount: number) {
 *   const balance = from.balance;
 *   await checkpoint('after read');
 *   from.balance = balance - amount;
 *   to.balance += amount;
 * }
 * ```
 */
export function checkpoint(label?: string): Promise<void> {
  if (label !== undefined && typeof label !== 'string') {
    invalid(
      { api: 'checkpoint', argument: 'label', subject: '`label` (the argument of checkpoint())' },
      'a string naming the point in the trace',
      label,
      "Write e.g. checkpoint('after read'), or leave it out.",
    );
  }
  const context = currentTask();
  if (context === undefined) {
    pointOutsideTasks();
    return RESOLVED;
  }
  return context.scheduler.park(context.task, { label: label ?? 'checkpoint' }) ?? RESOLVED;
}
