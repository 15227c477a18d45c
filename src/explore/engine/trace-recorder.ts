import type { TraceStep } from '../../trace/types.ts';
import type { Point } from './task-context.ts';

/** A step's record while it may still change (the trace exposes it as a `TraceStep`). */
type Draft = { -readonly [K in keyof TraceStep]: TraceStep[K] };

/**
 * The trace of one schedule, and its only writer: one record per step, in order, written
 * from what the engine tells it (a grant, the task parking, settling, a step outlasting
 * `stepTimeout`) and what a `yieldAt` call answered ({@link outcome}).
 *
 * A record stays open while its task may still end it differently: until the task's next
 * grant, until the task settles (`finished` or `failed`), or until the schedule fails (what
 * tasks do after a failure is not written into the trace). A step ends `blocked` unless its
 * task parks (`parked`) or settles first. Once closed, with no `yieldAt` outcome still to
 * come, a record is frozen; when the schedule finishes, all are, and later outcomes are
 * dropped.
 */
export class TraceRecorder {
  readonly #trace: Draft[] = [];
  /** By task: its latest step, while still open. */
  readonly #open: (Draft | undefined)[] = [];
  /** By task: the point its open step started from. */
  readonly #openAt: (Point | undefined)[] = [];
  /** The steps of `yieldAt` calls whose outcome has not come yet, by their point. */
  readonly #awaiting = new Map<Point, Draft>();
  #finished = false;

  /** The records so far; frozen, with every record, once {@link finish} has run. */
  get trace(): readonly TraceStep[] {
    return this.#trace;
  }

  /** How many steps have begun: the schedule's step count. */
  get steps(): number {
    return this.#trace.length;
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
    if (point.target !== undefined) this.#awaiting.set(point, draft);
    this.#close(task);
    this.#open[task] = draft;
    this.#openAt[task] = point;
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
    this.#close(task);
  }

  /** How the call parked at `point` answered; dropped if it never got a step or came too late. */
  outcome(point: Point, ok: boolean, valueOrError: unknown): void {
    const draft = this.#awaiting.get(point);
    if (draft === undefined) return;
    this.#awaiting.delete(point);
    if (ok) draft.result = valueOrError;
    else draft.error = valueOrError;
    if (this.#open[draft.task] !== draft) Object.freeze(draft);
  }

  /** The schedule failed: every open step is closed as it stands. */
  closeAll(): void {
    for (let task = 0; task < this.#open.length; task++) this.#close(task);
  }

  /** The schedule has ended: every record is frozen, and so is the trace. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const draft of this.#open) if (draft !== undefined) Object.freeze(draft);
    for (const draft of this.#awaiting.values()) Object.freeze(draft);
    this.#open.length = 0;
    this.#openAt.length = 0;
    this.#awaiting.clear();
    Object.freeze(this.#trace);
  }

  #close(task: number): void {
    const draft = this.#open[task];
    if (draft === undefined) return;
    const point = this.#openAt[task] as Point;
    this.#open[task] = undefined;
    this.#openAt[task] = undefined;
    if (point.target === undefined || !this.#awaiting.has(point)) Object.freeze(draft);
  }
}
