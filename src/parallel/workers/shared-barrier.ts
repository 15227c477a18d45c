import { type BarrierError, barrierError, type BarrierErrorCode } from '../barrier-error.ts';
import { formatLabel, type TaskStatus } from '../task-status.ts';

/*
 * The barrier of `runInWorkers`, in a SharedArrayBuffer so that threads meet without the
 * main thread: an Int32Array with a header and one slot per task.
 *
 * header: GENERATION (waiters sleep on it; bumped when the barrier opens or breaks),
 * ARRIVED (in this generation), BROKEN (0 or a reason), BREAKER (task that broke it),
 * DETAIL (a second number for messages), OPENED (how many times a barrier opened: a waiter
 * whose barrier opened passes even if a later barrier broke meanwhile), FAILURES (a counter
 * that orders failures across threads).
 * slot: STATE, PASSED, LABEL_LENGTH (-1: no label), LABEL_HASH, FAIL_ORDER (0: not failed),
 * then LABEL_CHARS UTF-16 units.
 */
const GENERATION = 0;
const ARRIVED = 1;
const BROKEN = 2;
const BREAKER = 3;
const DETAIL = 4;
const OPENED = 5;
const FAILURES = 6;
const HEADER = 8;
const FAIL_ORDER = 4;
const LABEL_START = 5;
const LABEL_CHARS = 48;
const SLOT = LABEL_START + LABEL_CHARS;

const RUNNING = 0;
const WAITING = 1;
const FINISHED = 2;
const FAILED = 3;

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
  readonly #timeout: number;

  constructor(buffer: SharedArrayBuffer, count: number, timeout: number) {
    this.count = count;
    this.#timeout = timeout;
    this.#cells = new Int32Array(buffer);
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
      this.#left(index);
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

  /** Task `index` failed (or its thread died): breaks the barrier if others wait at it. */
  fail(index: number): void {
    const order = Atomics.add(this.#cells, FAILURES, 1) + 1;
    Atomics.store(this.#cells, HEADER + index * SLOT + FAIL_ORDER, order);
    this.#settle(index, FAILED, 'failed');
  }

  /** In which order task `index` failed among the failed tasks (1 = first), 0 if it did not. */
  failureOrder(index: number): number {
    return Atomics.load(this.#cells, HEADER + index * SLOT + FAIL_ORDER);
  }

  /** Every task's status, as far as the shared memory tells. */
  statuses(): TaskStatus[] {
    return Array.from({ length: this.count }, (_, index) => {
      const base = HEADER + index * SLOT;
      const passed = Atomics.load(this.#cells, base + 1);
      switch (Atomics.load(this.#cells, base)) {
        case WAITING:
          return { state: 'waiting', passed, label: this.#label(index) };
        case FINISHED:
          return { state: 'finished', passed };
        case FAILED:
          return { state: 'failed', passed, error: 'see its own failure' };
        default:
          return { state: 'running', passed };
      }
    });
  }

  /** Registers the arrival; returns what to wait on, or undefined if this arrival opened it. */
  #arrive(index: number, label: string | undefined): Arrival | undefined {
    this.#throwIfBroken(index);
    const base = HEADER + index * SLOT;
    if (Atomics.load(this.#cells, base) === WAITING) {
      throw this.#error(
        'ERR_BARRIER_MISMATCH',
        `Task ${index} called runner.await() again while its previous call still waited at barrier ${Atomics.load(this.#cells, base + 1) + 1}. Await each runner.await() before calling it again.`,
      );
    }
    this.#writeLabel(index, label);
    Atomics.store(this.#cells, base, WAITING);
    const generation = Atomics.load(this.#cells, GENERATION);
    const opened = Atomics.load(this.#cells, OPENED);
    const arrived = Atomics.add(this.#cells, ARRIVED, 1) + 1;
    // Checked after arriving (not before), so a task that finishes at the same moment is
    // seen either here or by that task's own check of ARRIVED.
    const gone = this.#firstGone(Atomics.load(this.#cells, base + 1));
    if (gone !== -1) {
      this.#break('arrived-late', index, gone);
      this.#throwIfBroken(index);
    }
    if (arrived < this.count) return { generation, opened };
    const mismatch = this.#labelMismatch();
    if (mismatch !== -1) {
      this.#break('mismatch', mismatch, 0);
      this.#throwIfBroken(index);
    }
    Atomics.store(this.#cells, ARRIVED, 0);
    Atomics.add(this.#cells, OPENED, 1);
    Atomics.add(this.#cells, GENERATION, 1);
    Atomics.notify(this.#cells, GENERATION);
    this.#left(index);
    return undefined;
  }

  /** This task goes on past the barrier, which opened. */
  #left(index: number): void {
    const base = HEADER + index * SLOT;
    Atomics.add(this.#cells, base + 1, 1);
    Atomics.store(this.#cells, base, RUNNING);
  }

  #timedOut(index: number): void {
    this.#break('timeout', index, Atomics.load(this.#cells, ARRIVED));
    this.#throwIfBroken(index);
  }

  #settle(index: number, state: number, reason: Reason): void {
    Atomics.store(this.#cells, HEADER + index * SLOT, state);
    if (Atomics.load(this.#cells, ARRIVED) > 0) this.#break(reason, index, 0);
  }

  /** Marks the barrier broken (first reason wins) and wakes every waiter. */
  #break(reason: Reason, breaker: number, detail: number): void {
    if (Atomics.compareExchange(this.#cells, BROKEN, 0, REASONS.indexOf(reason)) === 0) {
      Atomics.store(this.#cells, BREAKER, breaker);
      Atomics.store(this.#cells, DETAIL, detail);
    }
    Atomics.add(this.#cells, GENERATION, 1);
    Atomics.notify(this.#cells, GENERATION);
  }

  #throwIfBroken(index: number): void {
    const reason = REASONS[Atomics.load(this.#cells, BROKEN)];
    if (reason === undefined || reason === '') return;
    const base = HEADER + index * SLOT;
    const barrier = Atomics.load(this.#cells, base + 1) + 1;
    const error = this.#describe(reason, barrier);
    Atomics.store(this.#cells, base, RUNNING); // no longer waiting, whatever it was doing
    throw error;
  }

  #describe(reason: Reason, barrier: number): BarrierError {
    const breaker = Atomics.load(this.#cells, BREAKER);
    const detail = Atomics.load(this.#cells, DETAIL);
    switch (reason) {
      case 'finished':
      case 'failed':
        return this.#error(
          'ERR_BARRIER_BROKEN',
          `Barrier ${barrier} can never open: task ${breaker} ${reason} while other tasks waited at it.`,
          barrier,
        );
      case 'arrived-late':
        return this.#error(
          'ERR_BARRIER_BROKEN',
          `Barrier ${barrier} can never open: task ${breaker} arrived after task ${detail} had ${this.statuses()[detail]?.state ?? 'finished'}.`,
          barrier,
        );
      case 'timeout':
        return this.#error(
          'ERR_BARRIER_TIMEOUT',
          `Barrier ${barrier} timed out after ${this.#timeout} ms with ${detail} of ${this.count} tasks arrived.`,
          barrier,
        );
      case 'mismatch':
        return this.#error(
          'ERR_BARRIER_MISMATCH',
          `Barrier ${barrier} got different labels: task ${breaker} arrived with ${formatLabel(this.#label(breaker))} while task ${detail} arrived with ${formatLabel(this.#label(detail))}, so the tasks are out of step.`,
          barrier,
        );
    }
  }

  #error(code: BarrierErrorCode, headline: string, barrier = 0): BarrierError {
    return barrierError(code, headline, {
      barrier,
      tasks: this.statuses(),
      timeout: this.#timeout,
    });
  }

  /**
   * A task that finished or failed without passing the barrier that a task with `passed`
   * barriers behind it waits at, or -1. (A task may pass this barrier and finish before a
   * slow waiter gets to look: that one does not count.)
   */
  #firstGone(passed: number): number {
    for (let i = 0; i < this.count; i++) {
      const base = HEADER + i * SLOT;
      const state = Atomics.load(this.#cells, base);
      if (
        (state === FINISHED || state === FAILED) &&
        Atomics.load(this.#cells, base + 1) <= passed
      ) {
        return i;
      }
    }
    return -1;
  }

  /** The index of a task whose label differs from task 0's, or -1. */
  #labelMismatch(): number {
    const base0 = HEADER;
    for (let i = 1; i < this.count; i++) {
      const base = HEADER + i * SLOT;
      for (let k = 2; k < 4; k++) {
        if (Atomics.load(this.#cells, base + k) !== Atomics.load(this.#cells, base0 + k)) return i;
      }
      if (this.#label(i) !== this.#label(0)) return i;
    }
    return -1;
  }

  #writeLabel(index: number, label: string | undefined): void {
    const base = HEADER + index * SLOT;
    if (label === undefined) {
      Atomics.store(this.#cells, base + 2, -1);
      Atomics.store(this.#cells, base + 3, 0);
      return;
    }
    Atomics.store(this.#cells, base + 2, label.length);
    Atomics.store(this.#cells, base + 3, hash(label));
    const shown = Math.min(label.length, LABEL_CHARS);
    for (let k = 0; k < shown; k++)
      Atomics.store(this.#cells, base + LABEL_START + k, label.charCodeAt(k));
  }

  /** The label as stored (cut at LABEL_CHARS characters, marked with `...`). */
  #label(index: number): string | undefined {
    const base = HEADER + index * SLOT;
    const length = Atomics.load(this.#cells, base + 2);
    if (length < 0) return undefined;
    const shown = Math.min(length, LABEL_CHARS);
    let text = '';
    for (let k = 0; k < shown; k++)
      text += String.fromCharCode(Atomics.load(this.#cells, base + LABEL_START + k));
    return length > LABEL_CHARS ? `${text}...` : text;
  }
}

/** FNV-1a over UTF-16 units: labels longer than the stored part still compare whole. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
