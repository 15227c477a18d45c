import type { TraceStep } from '../../trace/types.ts';
import type { Point } from './task-context.ts';

/** A step's record while the recorder may still write it (the trace shows it as a `TraceStep`). */
type Draft = { -readonly [K in keyof TraceStep]: TraceStep[K] };

/**
 * The trace of one schedule, and its only writer: one record per step, in order, written
 * from what the engine tells it (a grant, the task parking, settling, a step outlasting
 * `stepTimeout`) and what a `yieldAt` call answered ({@link outcome}).
 *
 * A record stays open while its task may still end it differently: until the task's next
 * grant, until the task settles (`finished` or `failed`), or until the schedule fails (what
 * tasks do after a failure is not written into the trace). A step ends `blocked` unless its
 * task parks (`parked`) or settles first. A `yieldAt` call's outcome is written whenever it
 * comes, until the schedule finishes; later ones are dropped.
 *
 * Records are drafts the recorder owns, typed read-only for everyone else, and frozen once,
 * when the trace is published ({@link publishTrace}): a failed schedule's trace, the only one
 * a user sees (as `RaceError.trace`). Freezing each record as it closed cost about 4% of the
 * instructions of a schedule (`Object.freeze` is a call into the runtime, and frozen records
 * have maps of their own), for traces that, when the schedule passes, only strategies read.
 */
export class TraceRecorder {
  readonly #trace: Draft[] = [];
  /** By task: its latest step, while still open. */
  readonly #open: (Draft | undefined)[] = [];
  /**
   * The steps of `yieldAt` calls whose outcome has not come yet, by their point; made at the
   * first such step (a schedule of checkpoints needs none).
   */
  #awaiting: Map<Point, Draft> | undefined;

  /** The records so far: read-only, and frozen once published. */
  get trace(): readonly TraceStep[] {
    return this.#trace;
  }

  /** Task `task` was granted a step from `point`; its previous step is closed. */
  begin(task: number, point: Point, preempted: boolean): void {
    const draft: Draft = {
      step: this.#trace.length + 1,
      task,
      label: point.label,
      preempted,
      end: 'blocked',
      blocked: false,
    };
    if (point.args !== undefined) draft.args = point.args;
    if (point.target !== undefined) (this.#awaiting ??= new Map()).set(point, draft);
    this.#open[task] = draft;
    this.#trace.push(draft);
  }

  /** The step of `task` outlasted `stepTimeout`; other tasks are scheduled meanwhile. */
  blocked(task: number): void {
    const draft = this.#open[task];
    if (draft !== undefined) draft.blocked = true;
  }

  /** `task` parked at a point: its step ended there, unless it had already ended otherwise. */
  parked(task: number): void {
    const draft = this.#open[task];
    if (draft?.end === 'blocked') draft.end = 'parked';
  }

  /** `task`'s function returned `value` (or, not `ok`, threw it): its latest step ended so. */
  settled(task: number, ok: boolean, value: unknown): void {
    const draft = this.#open[task];
    if (draft === undefined) return;
    if (ok) {
      draft.end = 'finished';
      draft.returned = value;
    } else {
      draft.end = 'failed';
      draft.thrown = value;
    }
    this.#open[task] = undefined;
  }

  /** How the call parked at `point` answered; dropped if it never got a step or came too late. */
  outcome(point: Point, ok: boolean, valueOrError: unknown): void {
    const awaiting = this.#awaiting;
    const draft = awaiting?.get(point);
    if (awaiting === undefined || draft === undefined) return;
    awaiting.delete(point);
    if (ok) draft.result = valueOrError;
    else draft.error = valueOrError;
  }

  /** The schedule failed: every open step is closed as it stands. */
  closeAll(): void {
    this.#open.length = 0;
  }

  /** The schedule has ended: nothing more is written (later outcomes are dropped). */
  finish(): void {
    this.#open.length = 0;
    this.#awaiting = undefined;
  }
}

/**
 * Publishes a schedule's trace: freezes every record and the list, so that no one can change
 * what a `RaceError` shows. Call it once its schedule has finished (nothing writes it then);
 * a published trace stays as it is.
 */
export function publishTrace(trace: readonly TraceStep[]): void {
  if (Object.isFrozen(trace)) return;
  for (const step of trace) Object.freeze(step);
  Object.freeze(trace);
}
