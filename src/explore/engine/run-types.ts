/** The vocabulary shared by a schedule, its choosers (the strategies) and shrinking. */
import type { TraceStep } from '../../trace/types.ts';

/** Where a task stands, as a chooser sees it. */
export type TaskState = 'parked' | 'running' | 'finished' | 'failed';

/**
 * A scheduling point a task is parked at: what the task does next if it is granted a step.
 * `start` and `checkpoint()` points have a label only; a `yieldAt` point is a call about to be
 * made, `target[key](...args)`.
 */
export interface PendingPoint {
  /** `start`, a `checkpoint` label, or a `yieldAt` label (by default the method's name). */
  readonly label: string;
  /** `yieldAt`: the call's arguments (the values it is about to write). Read, do not change. */
  readonly args?: readonly unknown[];
  /**
   * `yieldAt`: the object given to `yieldAt`, whose method the call is. For a method hooked on
   * a prototype, that prototype: calls on different instances share it.
   */
  readonly target?: object;
  /** `yieldAt`: the method's key on `target`. */
  readonly key?: PropertyKey;
}

/**
 * What a chooser may look at when it decides. The view is live (it reads the schedule as it
 * is when asked) and meant to be read during `choose`.
 *
 * What strategies need of it. A DPOR strategy (dynamic partial-order reduction) explores
 * only the orders of steps that may affect each other, so it needs to know what each enabled
 * task's next step touches: {@link SchedulerView.pendingPoint} gives the `target` and `key`
 * of a `yieldAt` call (steps on different targets commute unless they share state behind
 * them, which only the test knows); `start` and `checkpoint` points name nothing they touch,
 * so such a strategy must count them as touching everything. A coverage-guided strategy
 * counts what it has seen (labels, `target` and `key` pairs, which point of one task ran
 * right after which point of another) and steers towards what it has not. Replay names where
 * each task stood when a token no longer fits.
 */
export interface SchedulerView {
  /** How many tasks the schedule runs (task indices are 0 to taskCount - 1). */
  readonly taskCount: number;
  /**
   * `parked`: the task has a point waiting for a grant (it is among `enabled`; before its
   * first step it is parked at `start`); otherwise `finished` or `failed` once its function
   * has settled, else `running` (running a step, or blocked outside the scheduler's control).
   */
  state(task: number): TaskState;
  /** The label of the point `task` is parked at, if it is parked (`pendingPoint(task)?.label`). */
  pointLabel(task: number): string | undefined;
  /**
   * The point `task` is parked at, if it is parked: the one its next grant lets it past (a
   * task with two branches parked has the earlier one here).
   */
  pendingPoint(task: number): PendingPoint | undefined;
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
  /**
   * One record per step, in order. Read-only; published (the array and every record frozen)
   * when the schedule failed, so a `RaceError` shows a trace no one can change.
   */
  readonly trace: readonly TraceStep[];
  /** One decision per step, in order (the array is frozen). */
  readonly decisions: readonly Decision[];
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
