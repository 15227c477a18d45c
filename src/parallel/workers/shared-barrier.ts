import { errorLine } from '../../internal/error-text.ts';
import type { BarrierScene } from '../barrier-error.ts';
import {
  awaitedTwiceError,
  type BarrierBreak,
  brokenError,
  lateArrivalError,
} from '../barrier-messages.ts';
import type { TaskStatus } from '../task-status.ts';
import { FAILED, FINISHED, RUNNING, SLOT, TaskSlots, WAITING } from './task-slots.ts';

/*
 * The barrier of `runInWorkers`, in a SharedArrayBuffer so that threads meet without the
 * main thread: an Int32Array with a header and one slot per task (`task-slots.ts`).
 *
 * header: GENERATION (waiters sleep on it; bumped when the barrier opens or breaks),
 * ARRIVED (in this generation), BROKEN (0, CLAIMED while the breaker writes the next three,
 * then a reason), BREAKER (task that broke it), DETAIL (a second number for messages),
 * BROKEN_AT (the barrier that broke), OPENED (how many times a barrier opened: a waiter
 * whose barrier opened passes even if a later barrier broke meanwhile), FAILURES (a counter
 * that orders failures across threads).
 */
const GENERATION = 0;
const ARRIVED = 1;
const BROKEN = 2;
const BREAKER = 3;
const DETAIL = 4;
const OPENED = 5;
const FAILURES = 6;
const BROKEN_AT = 7;
const HEADER = 8;

/** In BROKEN while the thread that broke the barrier writes down why. */
const CLAIMED = -1;

/** Why the barrier broke: the codes stored in BROKEN. */
const REASONS = ['', 'finished', 'failed', 'arrived-late', 'timeout', 'mismatch'] as const;
type Reason = Exclude<(typeof REASONS)[number], ''>;

/** What a waiting task compares against: the generation it sleeps on, the opened count. */
interface Arrival {
  readonly generation: number;
  readonly opened: number;
}

/** Bytes of SharedArrayBuffer a barrier for `count` tasks needs. */
export function sharedBarrierBytes(count: number): number {
  return (HEADER + count * SLOT) * Int32Array.BYTES_PER_ELEMENT;
}

/** The barrier's view of one SharedArrayBuffer, usable from any thread. */
export class SharedBarrier {
  readonly count: number;
  readonly #cells: Int32Array;
  readonly #slots: TaskSlots;
  readonly #timeout: number;

  constructor(buffer: SharedArrayBuffer, count: number, timeout: number) {
    this.count = count;
    this.#timeout = timeout;
    this.#cells = new Int32Array(buffer);
    this.#slots = new TaskSlots(this.#cells, HEADER);
  }

  /** Blocks this thread until all tasks arrived; throws a BarrierError if that cannot happen. */
  arriveSync(index: number, label: string | undefined): void {
    const arrival = this.#arrive(index, label);
    if (arrival === undefined) return;
    const deadline = Date.now() + this.#timeout;
    while (!this.#settled(index, arrival, deadline)) {
      Atomics.wait(this.#cells, GENERATION, arrival.generation, deadline - Date.now());
    }
  }

  /** Like `arriveSync`, but the thread's event loop goes on while it waits. */
  async arrive(index: number, label: string | undefined): Promise<void> {
    const arrival = this.#arrive(index, label);
    if (arrival === undefined) return;
    const deadline = Date.now() + this.#timeout;
    // Atomics.waitAsync does not keep the event loop alive by itself.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      while (!this.#settled(index, arrival, deadline)) {
        const wait = Atomics.waitAsync(
          this.#cells,
          GENERATION,
          arrival.generation,
          deadline - Date.now(),
        );
        if (wait.async) await wait.value;
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * After a wake-up (or none): true once this task's barrier opened (it has left), throws
   * if the barrier broke or the deadline passed, false to wait on.
   */
  #settled(index: number, arrival: Arrival, deadline: number): boolean {
    if (Atomics.load(this.#cells, OPENED) !== arrival.opened) {
      this.#slots.pass(index);
      return true;
    }
    this.#throwIfBroken(index);
    if (Date.now() >= deadline) this.#timedOut(index);
    return false;
  }

  /** Task `index` returned: breaks the barrier if others wait at it. */
  finish(index: number): void {
    this.#settle(index, FINISHED, 'finished');
  }

  /**
   * Task `index` failed (or its thread died) with `error`: breaks the barrier if others wait
   * at it. The error's one-line summary is kept for the messages of the other threads.
   */
  fail(index: number, error: unknown): void {
    this.#slots.writeFailure(index, errorLine(error));
    this.#slots.setFailOrder(index, Atomics.add(this.#cells, FAILURES, 1) + 1);
    this.#settle(index, FAILED, 'failed');
  }

  /** In which order task `index` failed among the failed tasks (1 = first), 0 if it did not. */
  failureOrder(index: number): number {
    return this.#slots.failOrder(index);
  }

  /** The label of the last barrier task `index` passed, if known (see `TaskSlots`). */
  passedLabel(index: number): { label: string | undefined } | undefined {
    return this.#slots.passedLabel(index);
  }

  /** Every task's status, as far as the shared memory tells. */
  statuses(): TaskStatus[] {
    return Array.from({ length: this.count }, (_, index) => {
      const passed = this.#slots.passed(index);
      switch (this.#slots.state(index)) {
        case WAITING:
          return { state: 'waiting', passed, label: this.#slots.label(index) };
        case FINISHED:
          return { state: 'finished', passed };
        case FAILED:
          return { state: 'failed', passed, error: this.#slots.failure(index) };
        default:
          return { state: 'running', passed };
      }
    });
  }

  /** Registers the arrival; returns what to wait on, or undefined if this arrival opened it. */
  #arrive(index: number, label: string | undefined): Arrival | undefined {
    this.#throwIfBroken(index, true);
    const slots = this.#slots;
    if (slots.state(index) === WAITING) {
      throw awaitedTwiceError(index, this.#scene(slots.passed(index) + 1));
    }
    slots.writeLabel(index, label);
    slots.setState(index, WAITING);
    const generation = Atomics.load(this.#cells, GENERATION);
    const opened = Atomics.load(this.#cells, OPENED);
    const arrived = Atomics.add(this.#cells, ARRIVED, 1) + 1;
    const barrier = slots.passed(index) + 1;
    // Checked after arriving (not before), so a task that finishes at the same moment is
    // seen either here or by that task's own check of ARRIVED.
    const gone = this.#firstGone(barrier - 1);
    if (gone !== -1) {
      this.#break('arrived-late', index, gone, barrier);
      this.#throwIfBroken(index);
    }
    if (arrived < this.count) return { generation, opened };
    // The last to arrive compares labels: it arrived, every other task waited.
    const mismatch = this.#labelMismatch(index);
    if (mismatch !== -1) {
      this.#break('mismatch', index, mismatch, barrier);
      this.#throwIfBroken(index);
    }
    Atomics.store(this.#cells, ARRIVED, 0);
    Atomics.add(this.#cells, OPENED, 1);
    Atomics.add(this.#cells, GENERATION, 1);
    Atomics.notify(this.#cells, GENERATION);
    slots.pass(index);
    return undefined;
  }

  #timedOut(index: number): void {
    const arrived = Atomics.load(this.#cells, ARRIVED);
    this.#break('timeout', index, arrived, this.#slots.passed(index) + 1);
    this.#throwIfBroken(index);
  }

  #settle(index: number, state: number, reason: Reason): void {
    this.#slots.setState(index, state);
    const waiting = Atomics.load(this.#cells, ARRIVED);
    if (waiting > 0) this.#break(reason, index, waiting, this.#forming(index));
  }

  /** The barrier the waiting tasks wait at (the one task `index` did not pass). */
  #forming(index: number): number {
    let passed = this.#slots.passed(index);
    for (let i = 0; i < this.count; i++) {
      if (this.#slots.state(i) === WAITING) passed = Math.max(passed, this.#slots.passed(i));
    }
    return passed + 1;
  }

  /**
   * Marks the barrier broken (first reason wins: it claims BROKEN, writes down the numbers
   * its message needs, then publishes the reason) and wakes every waiter.
   */
  #break(reason: Reason, breaker: number, detail: number, barrier: number): void {
    if (Atomics.compareExchange(this.#cells, BROKEN, 0, CLAIMED) === 0) {
      Atomics.store(this.#cells, BREAKER, breaker);
      Atomics.store(this.#cells, DETAIL, detail);
      Atomics.store(this.#cells, BROKEN_AT, barrier);
      Atomics.store(this.#cells, BROKEN, REASONS.indexOf(reason));
      Atomics.notify(this.#cells, BROKEN);
    }
    Atomics.add(this.#cells, GENERATION, 1);
    Atomics.notify(this.#cells, GENERATION);
  }

  /** Why the barrier broke, once the thread that broke it has written it down; '' if not. */
  #reason(): (typeof REASONS)[number] {
    let code = Atomics.load(this.#cells, BROKEN);
    // Only a few stores away from done: wait them out (a millisecond at a time).
    while (code === CLAIMED) {
      Atomics.wait(this.#cells, BROKEN, CLAIMED, 1);
      code = Atomics.load(this.#cells, BROKEN);
    }
    return REASONS[code] ?? '';
  }

  /** Throws if the barrier broke: as a waiter of it, or (`late`) as an arrival after it. */
  #throwIfBroken(index: number, late = false): void {
    const reason = this.#reason();
    if (reason === '') return;
    const why = this.#why(reason);
    const scene = this.#scene(this.#slots.passed(index) + 1);
    const error = late ? lateArrivalError(index, why, scene) : brokenError(why, scene);
    this.#slots.setState(index, RUNNING); // no longer waiting, whatever it was doing
    throw error;
  }

  /** The break, as the numbers its breaker wrote down and the shared memory tell. */
  #why(reason: Reason): BarrierBreak {
    const task = Atomics.load(this.#cells, BREAKER);
    const detail = Atomics.load(this.#cells, DETAIL);
    const barrier = Atomics.load(this.#cells, BROKEN_AT);
    const slots = this.#slots;
    switch (reason) {
      case 'finished':
        return { kind: 'finished', barrier, task, waiting: detail };
      case 'failed':
        return { kind: 'failed', barrier, task, waiting: detail, error: slots.failure(task) };
      case 'arrived-late': {
        const how = slots.state(detail) === FAILED ? 'failed' : 'finished';
        return { kind: 'arrived-late', barrier, task, gone: detail, how };
      }
      case 'timeout':
        return {
          kind: 'timeout',
          barrier,
          timeout: this.#timeout,
          arrived: detail,
          count: this.count,
        };
      case 'mismatch': {
        const waiting = [];
        for (let i = 0; i < this.count; i++) {
          if (i !== task && slots.sameLabel(i, detail)) waiting.push(i);
        }
        const [label, waitingLabel] = [slots.label(task), slots.label(detail)];
        return { kind: 'mismatch', barrier, task, label, waiting, waitingLabel };
      }
    }
  }

  #scene(barrier: number): BarrierScene {
    return { barrier, tasks: this.statuses(), timeout: this.#timeout };
  }

  /**
   * A task that finished or failed without passing the barrier that a task with `passed`
   * barriers behind it waits at, or -1. (A task may pass this barrier and finish before a
   * slow waiter gets to look: that one does not count.)
   */
  #firstGone(passed: number): number {
    for (let i = 0; i < this.count; i++) {
      const state = this.#slots.state(i);
      if ((state === FINISHED || state === FAILED) && this.#slots.passed(i) <= passed) return i;
    }
    return -1;
  }

  /** The first task whose label differs from task `index`'s, or -1. */
  #labelMismatch(index: number): number {
    for (let i = 0; i < this.count; i++) {
      if (!this.#slots.sameLabel(i, index)) return i;
    }
    return -1;
  }
}
