/**
 * How one step of a schedule ended: the task `parked` at its next scheduling point,
 * `finished` (its function returned), `failed` (it threw), or was still `blocked` outside the
 * scheduler's control (a lock, a socket) when the schedule ended.
 *
 * @example
 * ```ts
 * import type { StepEnd } from 'interleave';
 *
 * const ended: StepEnd = 'parked';
 * ```
 */
export type StepEnd = 'parked' | 'blocked' | 'finished' | 'failed';

/**
 * One step of an explored schedule: the scheduler let task `task` past the scheduling point
 * `label`, and the task ran until its next point (or until it finished).
 *
 * @example
 * ```ts
 * import { checkpoint, explore, RaceError, type TraceStep } from 'interleave';
 *
 * try {
 *   await explore({ tasks: [async () => checkpoint('a'), async () => checkpoint('b')] });
 * } catch (err) {
 *   if (err instanceof RaceError) {
 *     const reads: TraceStep[] = err.trace.filter((s) => s.label === 'getCount');
 *     console.log(reads.map((s) => `task ${s.task} read ${String(s.result)}`));
 *   }
 * }
 * ```
 */
export interface TraceStep {
  /** 1-based position of the step in the schedule. */
  readonly step: number;
  /** The index of the task (its position in `tasks`). */
  readonly task: number;
  /** The point the step started from: `start`, a `checkpoint` label, or a `yieldAt` method. */
  readonly label: string;
  /** True when the scheduler switched to this task although the previous one could go on. */
  readonly preempted: boolean;
  /** `yieldAt` points: the arguments of the call (the values written). */
  readonly args?: readonly unknown[];
  /** `yieldAt` points: what the call returned, awaited (the value read). */
  readonly result?: unknown;
  /** `yieldAt` points: what the call threw or rejected with. */
  readonly error?: unknown;
  /** How the step ended. */
  readonly end: StepEnd;
  /** True when the step outlasted `stepTimeout` and other tasks were scheduled meanwhile. */
  readonly blocked: boolean;
  /** `finished` steps: the task's return value. */
  readonly returned?: unknown;
  /** `failed` steps: what the task threw. */
  readonly thrown?: unknown;
}
