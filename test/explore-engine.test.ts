/**
 * The schedule engine (src/explore/engine/) driven directly by a scripted chooser: what
 * the chooser is shown when it decides.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { checkpoint } from 'interleave';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Chooser, SchedulerView, TaskState } from '../src/explore/engine/run-types.ts';
import { ScheduleRun } from '../src/explore/engine/schedule-run.ts';
import {
  enterExplore,
  leaveExplore,
  type TaskContext,
} from '../src/explore/engine/task-context.ts';

let storage: AsyncLocalStorage<TaskContext>;

beforeEach(() => {
  storage = enterExplore();
});

afterEach(() => {
  leaveExplore();
});

const LIMITS = { stepTimeout: 1000, settleTimeout: 500, deadlockTimeout: 5000, maxSteps: 100 };

/** What the chooser saw at one decision. */
interface Seen {
  readonly step: number;
  readonly taskCount: number;
  readonly states: TaskState[];
}

/** Runs task 0 to its end, then the next lowest: and writes down the view at each decision. */
function recordingChooser(seen: Seen[]): Chooser {
  return {
    choose(enabled, current, step, view: SchedulerView) {
      const states: TaskState[] = [];
      for (let task = 0; task < view.taskCount; task++) states.push(view.state(task));
      seen.push({ step, taskCount: view.taskCount, states });
      return enabled.includes(current) ? current : (enabled[0] as number);
    },
  };
}

it("the chooser's view counts the schedule's tasks, and shows each one's state", async () => {
  const seen: Seen[] = [];
  const task = async () => {
    await checkpoint('middle');
  };

  const result = await new ScheduleRun(storage, recordingChooser(seen), LIMITS).execute(
    [task, task, task],
    undefined,
  );

  expect(result.failure).toBeUndefined();
  expect(seen).toEqual([
    { step: 0, taskCount: 3, states: ['parked', 'parked', 'parked'] },
    { step: 1, taskCount: 3, states: ['parked', 'parked', 'parked'] },
    { step: 2, taskCount: 3, states: ['finished', 'parked', 'parked'] },
    { step: 3, taskCount: 3, states: ['finished', 'parked', 'parked'] },
    { step: 4, taskCount: 3, states: ['finished', 'finished', 'parked'] },
    { step: 5, taskCount: 3, states: ['finished', 'finished', 'parked'] },
  ]);
});
