/** The vocabulary shared by a schedule, its choosers (the strategies) and shrinking. */
import type { StepRecord } from '../../trace/types.ts';

/** Where a task stands, as a chooser sees it. */
export type TaskState = 'parked' | 'running' | 'finished' | 'failed';

/** What a chooser may look at when it decides. */
export interface SchedulerView {
  /** How many tasks the schedule runs (task indices are 0 to taskCount - 1). */
  readonly taskCount: number;
  state(task: number): TaskState;
  /** The label of the point `task` is parked at, if it is parked. */
  pointLabel(task: number): string | undefined;
}

/** Decides which task runs the next step. */
export interface Chooser {
  /**
   * Picks one of `enabled` (task indices in ascending order, never empty). `current` ran the
   * previous step (-1 before the first); `step` is the 0-based index of the step to run.
   */
  choose(enabled: readonly number[], current: number, step: number, view: SchedulerView): number;
}

/** One decision of a schedule. */
export interface Decision {
  readonly enabled: readonly number[];
  readonly current: number;
  readonly chosen: number;
  /** The previous task could have gone on, and another one was chosen. */
  readonly preemption: boolean;
}

/** Why a schedule failed. */
export type RunFailure =
  | { readonly kind: 'task'; readonly task: number; readonly error: unknown }
  | { readonly kind: 'check'; readonly error: unknown }
  | { readonly kind: 'deadlock'; readonly blocked: readonly number[] }
  | { readonly kind: 'livelock'; readonly steps: number }
  | { readonly kind: 'abort'; readonly error: unknown };

/** Everything one schedule produced. */
export interface RunResult {
  failure: RunFailure | undefined;
  readonly results: unknown[];
  readonly trace: StepRecord[];
  readonly decisions: Decision[];
  /** Tasks that had not settled within `settleTimeout` after a failed schedule. */
  readonly abandoned: number[];
  /** Errors tasks threw after the schedule had failed (e.g. a database's deadlock victim). */
  readonly lateErrors: { readonly task: number; readonly error: unknown }[];
  /** A deadlock whose blocked tasks all finished without error once released: maybe slow. */
  blockedSettled: boolean;
  /** What `teardown` threw after a failed schedule (the failure is reported, not this). */
  teardownError?: unknown;
}

/** The default choice: let the current task go on, else the lowest-numbered one. */
export function defaultChoice(enabled: readonly number[], current: number): number {
  return enabled.includes(current) ? current : (enabled[0] as number);
}
