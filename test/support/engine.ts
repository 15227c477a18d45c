/**
 * Drives the schedule engine (src/explore/engine/) the way explore() does, with a chooser the
 * test writes: no strategy, no replay, no report in between.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, beforeEach } from 'vitest';
import {
  type Chooser,
  defaultChoice,
  type RunResult,
  type SchedulerView,
  type ScheduleLimits,
} from '../../src/explore/engine/run-types.ts';
import { ScheduleRun } from '../../src/explore/engine/schedule-run.ts';
import { EventSources } from '../../src/explore/engine/event-sources.ts';
import {
  enterExplore,
  leaveExplore,
  type TaskContext,
} from '../../src/explore/engine/task-context.ts';

/** Limits no test reaches unless it lowers one: its own subject. */
export const LIMITS: ScheduleLimits = {
  sources: new EventSources(),
  stepTimeout: 5000,
  settleTimeout: 5000,
  deadlockTimeout: 5000,
  maxSteps: 1000,
  virtualTime: true,
};

let storage: AsyncLocalStorage<TaskContext> | undefined;

/**
 * Marks an explore as running around each test of the file, as explore() does around its
 * schedules: tasks find their scheduler, and points reached after a schedule see it ended.
 */
export function useEngine(): void {
  beforeEach(() => {
    storage = enterExplore();
  });
  afterEach(() => {
    storage = undefined;
    leaveExplore();
  });
}

/** Runs `tasks` as one schedule decided by `chooser`, with {@link LIMITS} changed by `limits`. */
export function runSchedule(
  tasks: readonly (() => unknown)[],
  chooser: Chooser,
  limits: Partial<ScheduleLimits> = {},
): Promise<RunResult> {
  if (storage === undefined) throw new Error('call useEngine() in the test file');
  return new ScheduleRun(storage, chooser, { ...LIMITS, ...limits }).execute(tasks, undefined);
}

/** What a chooser was asked at one decision. */
export interface Asked {
  readonly enabled: readonly number[];
  readonly current: number;
  readonly step: number;
}

/**
 * Picks `order[i]` at decision `i`, then the default choice (the current task, else the
 * lowest), and writes down what it was asked in `asked`; `look` sees the view at each decision.
 * A scripted task that cannot run throws, so the schedule aborts where the script stops fitting.
 */
export function scripted(
  order: readonly number[],
  asked: Asked[] = [],
  look?: (view: SchedulerView, step: number) => void,
): Chooser {
  return {
    choose(enabled, current, step, view) {
      asked.push({ enabled: [...enabled], current, step });
      look?.(view, step);
      const task = order[step];
      if (task === undefined) return defaultChoice(enabled, current, view.fairTurn);
      if (!enabled.includes(task)) {
        throw new Error(`step ${step}: the script runs task ${task}, enabled: ${enabled.join()}`);
      }
      return task;
    },
  };
}

/** A promise the test settles when it chooses. */
export function gate<T = void>(): {
  promise: Promise<T>;
  open: (value: T) => void;
} {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
