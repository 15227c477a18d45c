import { errorLine } from '../../internal/error-text.ts';
import type { BarrierScene } from '../barrier-error.ts';
import { awaitedTwiceError, brokenError, lateArrivalError } from '../barrier-messages.ts';
import type { TaskStatus } from '../task-status.ts';
import { BarrierHeader, HEADER, type Reason } from './barrier-header.ts';
import { breakOf, statusesOf } from './shared-scene.ts';
import { FAILED, FINISHED, RUNNING, SLOT, TaskSlots, WAITING } from './task-slots.ts';

/*
 * The barrier of `runInWorkers`, in a SharedArrayBuffer so that threads meet without the
 * main thread: an Int32Array with a header (`barrier-header.ts`: the generation waiters sleep
 * on, the arrivals, the break) and one slot per task (`task-slots.ts`). This file is the
 * protocol: arriving, waiting, passing, breaking; `shared-scene.ts` reads the memory for the
 * messages, worded with the async barrier's (`../barrier-messages.ts`).
 */

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
  readonly #header: BarrierHeader;
  readonly #slots: TaskSlots;
  readonly #timeout: number;

  constructor(buffer: SharedArrayBuffer, count: number, timeout: number) {
    this.count = count;
    this.#timeout = timeout;
    const cells = new Int32Array(buffer);
    this.#header = new BarrierHeader(cells);
    this.#slots = new TaskSlots(cells, HEADER);
  }

  /** Blocks this thread until all tasks arrived; throws a BarrierError if that cannot happen. */
  arriveSync(index: number, label: string | undefined): void {
    const arrival = this.#arrive(index, label);
    if (arrival === undefined) return;
    const deadline = Date.now() + this.#timeout;
    while (!this.#settled(index, arrival, deadline)) {
      this.#header.sleep(arrival.generation, deadline - Date.now());
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
        const wait = this.#header.sleepAsync(arrival.generation, deadline - Date.now());
        if (wait !== undefined) await wait;
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
    if (this.#header.opened() !== arrival.opened) {
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
    this.#slots.setFailOrder(index, this.#header.nextFailure());
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
    return statusesOf(this.#slots, this.count);
  }

  /** Registers the arrival; returns what to wait on, or undefined if this arrival opened it. */
  #arrive(index: number, label: string | undefined): Arrival | undefined {
    this.#throwIfBroken(index, true);
    const slots = this.#slots;
    const header = this.#header;
    if (slots.state(index) === WAITING) {
      throw awaitedTwiceError(index, this.#scene(slots.passed(index) + 1));
    }
    slots.writeLabel(index, label);
    slots.setState(index, WAITING);
    const generation = header.generation();
    const opened = header.opened();
    const arrived = header.arrive();
    const barrier = slots.passed(index) + 1;
    // Checked after arriving (not before), so a task that finishes at the same moment is
    // seen either here or by that task's own check of ARRIVED.
    const gone = this.#firstGone(barrier - 1);
    if (gone !== -1) {
      header.break('arrived-late', index, gone, barrier);
      this.#throwIfBroken(index);
    }
    if (arrived < this.count) return { generation, opened };
    // The last to arrive compares labels: it arrived, every other task waited.
    const mismatch = this.#labelMismatch(index);
    if (mismatch !== -1) {
      header.break('mismatch', index, mismatch, barrier);
      this.#throwIfBroken(index);
    }
    header.open();
    slots.pass(index);
    return undefined;
  }

  #timedOut(index: number): void {
    const arrived = this.#header.arrived();
    this.#header.break('timeout', index, arrived, this.#slots.passed(index) + 1);
    this.#throwIfBroken(index);
  }

  #settle(index: number, state: number, reason: Reason): void {
    this.#slots.setState(index, state);
    const waiting = this.#header.arrived();
    if (waiting > 0) this.#header.break(reason, index, waiting, this.#forming(index));
  }

  /** The barrier the waiting tasks wait at (the one task `index` did not pass). */
  #forming(index: number): number {
    let passed = this.#slots.passed(index);
    for (let i = 0; i < this.count; i++) {
      if (this.#slots.state(i) === WAITING) passed = Math.max(passed, this.#slots.passed(i));
    }
    return passed + 1;
  }

  /** Throws if the barrier broke: as a waiter of it, or (`late`) as an arrival after it. */
  #throwIfBroken(index: number, late = false): void {
    const record = this.#header.broken();
    if (record === undefined) return;
    const why = breakOf(record, this.#slots, this.count, this.#timeout);
    const scene = this.#scene(this.#slots.passed(index) + 1);
    const error = late ? lateArrivalError(index, why, scene) : brokenError(why, scene);
    this.#slots.setState(index, RUNNING); // no longer waiting, whatever it was doing
    throw error;
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
