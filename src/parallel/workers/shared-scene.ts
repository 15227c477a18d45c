/*
 * What the shared barrier's messages show, read from its shared memory: every task's status
 * and the break as its breaker wrote it down, turned into the data that
 * `../barrier-messages.ts` words for both barriers.
 */
import type { BarrierBreak } from '../barrier-messages.ts';
import type { TaskStatus } from '../task-status.ts';
import type { BreakRecord } from './barrier-header.ts';
import { FAILED, FINISHED, type TaskSlots, WAITING } from './task-slots.ts';

/** Every one of `count` tasks' status, as far as the shared memory tells. */
export function statusesOf(slots: TaskSlots, count: number): TaskStatus[] {
  return Array.from({ length: count }, (_, index) => {
    const passed = slots.passed(index);
    switch (slots.state(index)) {
      case WAITING:
        return { state: 'waiting', passed, label: slots.label(index) };
      case FINISHED:
        return { state: 'finished', passed };
      case FAILED:
        return { state: 'failed', passed, error: slots.failure(index) };
      default:
        return { state: 'running', passed };
    }
  });
}

/** The break, as the numbers its breaker wrote down and the task slots tell. */
export function breakOf(
  record: BreakRecord,
  slots: TaskSlots,
  count: number,
  timeout: number,
): BarrierBreak {
  const { task, detail, barrier } = record;
  switch (record.reason) {
    case 'finished':
      return { kind: 'finished', barrier, task, waiting: detail };
    case 'failed':
      return { kind: 'failed', barrier, task, waiting: detail, error: slots.failure(task) };
    case 'arrived-late': {
      const how = slots.state(detail) === FAILED ? 'failed' : 'finished';
      return { kind: 'arrived-late', barrier, task, gone: detail, how };
    }
    case 'timeout':
      return { kind: 'timeout', barrier, timeout, arrived: detail, count };
    case 'mismatch': {
      const waiting = [];
      for (let i = 0; i < count; i++) {
        if (i !== task && slots.sameLabel(i, detail)) waiting.push(i);
      }
      const [label, waitingLabel] = [slots.label(task), slots.label(detail)];
      return { kind: 'mismatch', barrier, task, label, waiting, waitingLabel };
    }
  }
}
