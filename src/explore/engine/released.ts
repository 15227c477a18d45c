import { realTimers } from '../../internal/real-timers.ts';
import { abandon } from './run-outcome.ts';
import type { RunResult } from './run-types.ts';
import type { StepTimer } from './step-timer.ts';
import { holdForAbandoned } from './task-context.ts';

/**
 * What becomes of tasks once their schedule has let them go (it failed, or ended): those
 * still running run freely, and those given up on (abandoned) stop at their next point.
 */

/** What an abandoned task's scheduling points return: it never goes on. */
const ABANDONED = new Promise<void>(() => undefined);

/**
 * A point reached after the schedule let the tasks go. A task given up on (`abandoned`: the
 * schedule is done and the task had not settled) stops there for good, also after explore has
 * returned, and no longer needs the task storage (`release` lets its hold go). Otherwise it
 * runs on, but through the event loop: a task spinning on a point must not starve the timers
 * (the settle timeout among them).
 */
export function parkReleased(
  abandoned: boolean,
  release: (() => void) | undefined,
  timer: StepTimer,
): Promise<void> {
  if (abandoned) {
    release?.();
    return ABANDONED;
  }
  // The task is moving: the settle wait must not take it for one nothing can wake.
  timer.hold();
  return new Promise((resolve) => {
    realTimers.setImmediate(() => {
      timer.unhold();
      resolve();
    });
  });
}

/**
 * Gives up on `tasks`, still running after `settleTimeout`, and returns by task the hold that
 * keeps the task storage on until each stops at its next point or settles, so that it stops
 * there even after `explore` has returned (a polling loop would otherwise spin on forever).
 */
export function abandonTasks(
  result: RunResult,
  tasks: readonly number[],
): (() => void)[] | undefined {
  abandon(result, tasks);
  if (tasks.length === 0) return undefined;
  const holds: (() => void)[] = [];
  for (const task of tasks) holds[task] = holdForAbandoned();
  return holds;
}
