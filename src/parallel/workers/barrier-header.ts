/*
 * The header of the shared barrier's memory (`task-slots.ts` holds the per-task part after
 * it): Int32 cells read and written atomically from any thread, and the atomic steps of the
 * barrier on them (`shared-barrier.ts` runs the protocol).
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

/** Cells of the header: the task slots start after them. */
export const HEADER = 8;

/** In BROKEN while the thread that broke the barrier writes down why. */
const CLAIMED = -1;

/** Why the barrier broke: the codes stored in BROKEN. */
const REASONS = ['', 'finished', 'failed', 'arrived-late', 'timeout', 'mismatch'] as const;
export type Reason = Exclude<(typeof REASONS)[number], ''>;

/** A break as its breaker wrote it down: why, by which task, a number for the message. */
export interface BreakRecord {
  readonly reason: Reason;
  readonly task: number;
  /** What the reason needs: tasks waiting or arrived, the task gone, the other label's task. */
  readonly detail: number;
  /** The barrier that broke (1-based). */
  readonly barrier: number;
}

/** The header cells of one barrier's SharedArrayBuffer, usable from any thread. */
export class BarrierHeader {
  readonly #cells: Int32Array;

  constructor(cells: Int32Array) {
    this.#cells = cells;
  }

  /** The generation waiters sleep on. */
  generation(): number {
    return Atomics.load(this.#cells, GENERATION);
  }

  /** How many times a barrier opened. */
  opened(): number {
    return Atomics.load(this.#cells, OPENED);
  }

  /** How many tasks arrived in this generation. */
  arrived(): number {
    return Atomics.load(this.#cells, ARRIVED);
  }

  /** Counts one more arrival; returns how many tasks have arrived now. */
  arrive(): number {
    return Atomics.add(this.#cells, ARRIVED, 1) + 1;
  }

  /** The next number in the order of failures across threads (1 = first). */
  nextFailure(): number {
    return Atomics.add(this.#cells, FAILURES, 1) + 1;
  }

  /** Opens the barrier: a new generation with no arrival, and every waiter woken. */
  open(): void {
    Atomics.store(this.#cells, ARRIVED, 0);
    Atomics.add(this.#cells, OPENED, 1);
    this.#wake();
  }

  /** Sleeps this thread while the generation is `generation`, for at most `ms`. */
  sleep(generation: number, ms: number): void {
    Atomics.wait(this.#cells, GENERATION, generation, ms);
  }

  /** Like `sleep`, without blocking the thread: undefined when there is nothing to wait for. */
  sleepAsync(generation: number, ms: number): Promise<unknown> | undefined {
    const wait = Atomics.waitAsync(this.#cells, GENERATION, generation, ms);
    return wait.async ? wait.value : undefined;
  }

  /**
   * Marks the barrier broken (first reason wins: it claims BROKEN, writes down the numbers
   * its message needs, then publishes the reason) and wakes every waiter.
   */
  break(reason: Reason, breaker: number, detail: number, barrier: number): void {
    if (Atomics.compareExchange(this.#cells, BROKEN, 0, CLAIMED) === 0) {
      Atomics.store(this.#cells, BREAKER, breaker);
      Atomics.store(this.#cells, DETAIL, detail);
      Atomics.store(this.#cells, BROKEN_AT, barrier);
      Atomics.store(this.#cells, BROKEN, REASONS.indexOf(reason));
      Atomics.notify(this.#cells, BROKEN);
    }
    this.#wake();
  }

  /** The break, once the thread that broke the barrier has written it down; undefined if none. */
  broken(): BreakRecord | undefined {
    let code = Atomics.load(this.#cells, BROKEN);
    // Only a few stores away from done: wait them out (a millisecond at a time).
    while (code === CLAIMED) {
      Atomics.wait(this.#cells, BROKEN, CLAIMED, 1);
      code = Atomics.load(this.#cells, BROKEN);
    }
    const reason = REASONS[code] ?? '';
    if (reason === '') return undefined;
    return {
      reason,
      task: Atomics.load(this.#cells, BREAKER),
      detail: Atomics.load(this.#cells, DETAIL),
      barrier: Atomics.load(this.#cells, BROKEN_AT),
    };
  }

  #wake(): void {
    Atomics.add(this.#cells, GENERATION, 1);
    Atomics.notify(this.#cells, GENERATION);
  }
}
