import type { FairnessView } from './decider.ts';
import type { TaskState } from './run-types.ts';
import type { Point } from './task-context.ts';

/** Where every task starts: parked before its function runs. */
const START: Point = Object.freeze({ label: 'start' });

/** A task parked at a point, and how to let it go on. */
export interface Waiter {
  readonly point: Point;
  readonly release: () => void;
}

/** Where one task of the schedule stands. */
interface Slot {
  /** The points it is parked at, in the order it reached them (two branches may both park). */
  readonly waiting: Waiter[];
  /** How many times the task has parked: a step ends when this grows. */
  parks: number;
  /** Its function has returned or thrown (or, after a failure, it will never start). */
  settled: boolean;
  failed: boolean;
  /** False until the task's first grant called its function. */
  started: boolean;
  /** Deferred calls and callbacks of the task still to run: it has not finished until they have. */
  open: number;
  /** Its function has returned while deferred calls were open: it finishes with the last. */
  bodyDone: boolean;
}

/**
 * The tasks of one schedule, by index: where each is parked, which have settled, whether the
 * task granted a step has moved since, and the chooser's view of them.
 */
export class TaskSlots {
  readonly #slots: Slot[] = [];
  /**
   * How many tasks have not settled. Written here only; a field, not a getter, because the
   * schedule reads it at every step (an accessor costs a call until the caller is optimized).
   */
  unfinished = 0;
  /** The index of the timers' lane, or -1 (see {@link addTimersLane}). */
  #timersLane = -1;
  /** The slot of the task granted last, and its parks at the grant. */
  #granted: Slot | undefined;
  #parksAtGrant = 0;
  /** The chooser's view: it reads the slots when asked. */
  readonly view: FairnessView = new SlotsView(this.#slots);

  /**
   * Adds the next task, parked at `start`: its first grant calls `start`, which runs its
   * function (saving a promise and two hops per task, which add up over many schedules).
   */
  add(start: () => void): void {
    const slot: Slot = {
      waiting: [],
      parks: 1,
      settled: false,
      failed: false,
      started: false,
      open: 0,
      bodyDone: false,
    };
    const release = () => {
      slot.started = true;
      start();
    };
    slot.waiting.push({ point: START, release });
    this.#slots.push(slot);
    this.unfinished++;
  }

  /** The function of `task` has returned or thrown (or, after a failure, will never run). */
  settled(task: number): boolean {
    return this.#at(task).settled;
  }

  /** `task` parked at `point`; `release` lets it go on. */
  park(task: number, point: Point, release: () => void): void {
    const slot = this.#at(task);
    slot.waiting.push({ point, release });
    slot.parks++;
  }

  /**
   * Adds the timers' lane after the tasks (`time: 'virtual'`): it is offered the next virtual
   * timer ({@link offer}), is chosen like a task, and is never unfinished. Returns its index.
   */
  addTimersLane(): number {
    const slot: Slot = {
      waiting: [],
      parks: 0,
      settled: false,
      failed: false,
      started: true,
      open: 0,
      bodyDone: false,
    };
    this.#timersLane = this.#slots.length;
    this.#slots.push(slot);
    return this.#timersLane;
  }

  /** Offers `lane` its next point (the timer due first); undone by {@link withdraw}. */
  offer(lane: number, point: Point, release: () => void): Waiter {
    const waiter = { point, release };
    this.#at(lane).waiting.push(waiter);
    return waiter;
  }

  /** Takes back a point offered to `lane`, unless it has been granted already. */
  withdraw(lane: number, waiter: Waiter): void {
    const waiting = this.#at(lane).waiting;
    const index = waiting.indexOf(waiter);
    if (index >= 0) waiting.splice(index, 1);
  }

  /** How many of `enabled` are tasks (not the timers' lane). */
  tasksIn(enabled: readonly number[]): number {
    const lane = this.#timersLane;
    return lane >= 0 && enabled[enabled.length - 1] === lane ? enabled.length - 1 : enabled.length;
  }

  /** A step of `task` ended without a park: a deferred call or a timer it was granted ran. */
  ranOut(task: number): void {
    this.#at(task).parks++;
  }

  /** Takes the point `task` goes past in its next step; the caller releases it. */
  grant(task: number): Waiter {
    const slot = this.#at(task);
    this.#granted = slot;
    this.#parksAtGrant = slot.parks;
    return slot.waiting.shift() as Waiter;
  }

  /** False while the task granted last is still in its step: it has neither parked nor settled. */
  moved(): boolean {
    const slot = this.#granted as Slot;
    return slot.parks !== this.#parksAtGrant || slot.settled;
  }

  /** `task` has a deferred call (or a callback) still to run: it is not finished before it. */
  open(task: number): void {
    this.#at(task).open++;
  }

  /**
   * A deferred call of `task` has run. True when that was the last, and its function had
   * already returned ({@link bodyReturned}): the task has finished now.
   */
  close(task: number): boolean {
    const slot = this.#at(task);
    slot.open--;
    return slot.open === 0 && slot.bodyDone && !slot.settled;
  }

  /**
   * The function of `task` returned. True when the task has finished with it; false when
   * deferred calls are still open (it finishes when the last has run, see {@link close}).
   */
  bodyReturned(task: number): boolean {
    const slot = this.#at(task);
    if (slot.open === 0) return true;
    slot.bodyDone = true;
    return false;
  }

  /** The function of `task` has returned or thrown (a second settling is ignored). */
  settle(task: number, failed: boolean): void {
    const slot = this.#at(task);
    if (slot.settled) return;
    slot.settled = true;
    if (failed) slot.failed = true;
    this.unfinished--;
  }

  /** The tasks parked at a point, in ascending order. */
  enabled(): number[] {
    const slots = this.#slots;
    const enabled: number[] = [];
    for (let task = 0; task < slots.length; task++) {
      if ((slots[task] as Slot).waiting.length > 0) enabled.push(task);
    }
    return enabled;
  }

  /**
   * True while no task has parked, and no more have settled, since `unfinished` were left
   * (a timer offered to the timers' lane does not count).
   */
  stillStuck(unfinished: number): boolean {
    return (
      unfinished === this.unfinished &&
      !this.#slots.some((slot, index) => slot.waiting.length > 0 && index !== this.#timersLane)
    );
  }

  unfinishedTasks(): number[] {
    return this.#slots.flatMap((slot, index) =>
      slot.settled || index === this.#timersLane ? [] : [index],
    );
  }

  /** After a failure: tasks that never started never will; they count as settled. */
  dropUnstarted(): void {
    for (const slot of this.#slots) {
      if (!slot.started && !slot.settled) {
        slot.waiting.length = 0;
        slot.settled = true;
        this.unfinished--;
      }
    }
  }

  /** Lets every parked task go on. */
  releaseAll(): void {
    for (const slot of this.#slots) {
      if (slot.waiting.length > 0) for (const waiter of slot.waiting.splice(0)) waiter.release();
    }
  }

  #at(task: number): Slot {
    return this.#slots[task] as Slot;
  }
}

/** The chooser's view of the slots: it reads them when asked. */
class SlotsView implements FairnessView {
  readonly #slots: readonly Slot[];
  /** Set by the decider around each `choose`. */
  fairTurn = -1;

  constructor(slots: readonly Slot[]) {
    this.#slots = slots;
  }

  get taskCount(): number {
    return this.#slots.length;
  }

  state(task: number): TaskState {
    const slot = this.#slots[task] as Slot;
    if (slot.waiting.length > 0) return 'parked';
    if (slot.settled) return slot.failed ? 'failed' : 'finished';
    return 'running';
  }

  pointLabel(task: number): string | undefined {
    return this.pendingPoint(task)?.label;
  }

  pendingPoint(task: number): Point | undefined {
    return this.#slots[task]?.waiting[0]?.point;
  }
}
