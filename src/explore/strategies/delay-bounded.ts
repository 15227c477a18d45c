import type { Decision } from '../engine/run-types.ts';
import { BoundedSearch } from './bounded-search.ts';
import type { StrategyDefinition } from './strategy.ts';

/**
 * Delay bounding (Emmi, Qadeer, Rakamarić, POPL 2011): a deterministic scheduler (round
 * robin without preemption: the current task goes on while it can, then the next task after
 * it in index order) that may be made to skip a task at most `maxDelays` times in a schedule.
 * Skipping k tasks at one step costs k delays. Every schedule within the bound is tried,
 * fewest delays first. The number of such schedules grows with the length of a schedule to
 * the power of the bound, not with the number of tasks, so it reaches bugs among many tasks
 * that preemption bounding, which may switch to any task at each preemption, cannot; Thomson,
 * Donaldson and Betts found it the better of the two systematic techniques on SCTBench.
 *
 * At a fairness point (see `SchedulerView.fairTurn`) the scheduler takes the fair turn, and
 * skipping it is a delay like any other.
 */
export class DelayBoundedStrategy extends BoundedSearch {
  /** `runs` bounds the schedules (Infinity: until the bounded space is exhausted). */
  constructor(maxDelays: number, runs = Infinity) {
    super({ max: maxDelays, free: roundRobin, cost: delays }, runs);
  }
}

/** The deterministic scheduler's choice: the fair turn, the current task, else the next one. */
export function roundRobin(enabled: readonly number[], current: number, fairTurn: number): number {
  if (fairTurn >= 0) return fairTurn;
  if (enabled.includes(current)) return current;
  for (const task of enabled) if (task > current) return task;
  return enabled[0] as number;
}

/** How many enabled tasks the scheduler skips, in round-robin order, to run `task`. */
export function delays(decision: Decision, task: number): number {
  const { enabled, current, fairTurn } = decision;
  const from = enabled.indexOf(roundRobin(enabled, current, fairTurn));
  const to = enabled.indexOf(task);
  return (to - from + enabled.length) % enabled.length;
}

/** `delay-bounded`: without `runs`, every schedule within `maxDelays` delays. */
export const delayBounded: StrategyDefinition = {
  create: (options) => new DelayBoundedStrategy(options.maxDelays, options.runs),
};
