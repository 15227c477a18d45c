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
  /**
   * The task the fairness rule gives the next step to, or -1. When the current task has run
   * `FAIRNESS_STREAK` steps in a row while another task could run, the fair choice is the
   * enabled task that has waited longest; the default choice takes it (it is not a
   * preemption), and a chooser that lets the current task go on instead makes the schedule
   * unfair for one more streak (exhaustive counts that like a preemption).
   */
  readonly fairTurn: number;
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
  /**
   * The previous task could have gone on, and another one was chosen, other than at a
   * fairness point (a switch there is what the fairness rule asked for: see `fairTurn`).
   */
  readonly preemption: boolean;
  /** The view's `fairTurn` when the decision was made: -1 unless it was a fairness point. */
  readonly fairTurn: number;
}

/** Why a schedule failed. */
export type RunFailure =
  | { readonly kind: 'task'; readonly task: number; readonly error: unknown }
  | { readonly kind: 'check'; readonly error: unknown }
  | { readonly kind: 'deadlock'; readonly blocked: readonly number[] }
  | {
      readonly kind: 'livelock';
      readonly steps: number;
      /** What the tasks did in the last steps: who kept passing which point, most first. */
      readonly spun: readonly SpinSummary[];
    }
  | { readonly kind: 'abort'; readonly error: unknown };

/** One task's share of the last steps of a schedule that did not end. */
export interface SpinSummary {
  readonly task: number;
  /** The point it passed most often. */
  readonly label: string;
  /** How many of the last steps it took. */
  readonly steps: number;
}

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
  /**
   * The `abandoned` tasks were given up on at once, not after `settleTimeout`: nothing in
   * the process (no I/O, timer or immediate) could have woken them.
   */
  abandonedAtOnce: boolean;
  /** What `teardown` threw after a failed schedule (the failure is reported, not this). */
  teardownError?: unknown;
}

/**
 * The default choice: the fairness rule's turn if it is a fairness point (`fairTurn`, from
 * the view), else let the current task go on, else the lowest-numbered one.
 */
export function defaultChoice(enabled: readonly number[], current: number, fairTurn = -1): number {
  if (fairTurn >= 0) return fairTurn;
  return enabled.includes(current) ? current : (enabled[0] as number);
}

/**
 * What choosing `task` at `decision`'s step costs against a preemption bound: 1 for a
 * preemption; at a fairness point 0 for the fair turn and 1 for anything else (letting the
 * current task go on, or a switch to another task than the one that waited longest).
 */
export function choiceCost(decision: Decision, task: number): number {
  const { current, fairTurn, enabled } = decision;
  if (fairTurn >= 0) return task === fairTurn ? 0 : 1;
  return current >= 0 && task !== current && enabled.includes(current) ? 1 : 0;
}

/** What the choice a decision made costs against a preemption bound (see `choiceCost`). */
export function decisionCost(decision: Decision): number {
  return choiceCost(decision, decision.chosen);
}

/** Whether anything in the process could still wake a waiting task (`EventSources`). */
export interface WakeSources {
  possible(): boolean;
}

/** The time and step limits of a schedule. */
export interface ScheduleLimits {
  /** What tells a wait that nothing could end it (an `EventSources`). */
  readonly sources: WakeSources;
  readonly stepTimeout: number;
  readonly settleTimeout: number;
  /** How long every unfinished task may be blocked before it is a deadlock. */
  readonly deadlockTimeout: number;
  /** The most steps a schedule may take before it is reported as a livelock. */
  readonly maxSteps: number;
  /** The tasks' timers wait on the schedule's virtual clock (`time: 'virtual'`). */
  readonly virtualTime: boolean;
}
