import { errorLine } from '../internal/error-text.ts';
import type { BarrierError, BarrierScene } from './barrier-error.ts';
import {
  afterRunError,
  awaitedTwiceError,
  type BarrierBreak,
  brokenError,
  lateArrivalError,
} from './barrier-messages.ts';
import type { TaskStatus } from './task-status.ts';
import { ownTimeout } from '../internal/real-timers.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: BarrierError) => void;
}

/**
 * The cyclic barrier of `runInParallel`: every one of `count` tasks must arrive before any
 * leaves; then all leave in task order and the next barrier starts forming. It never
 * hangs: a task that finishes or fails while others wait, a wait longer than `timeout`
 * (counted from the first arrival) or a label mismatch breaks it, and every waiter (and
 * every later arrival) is rejected with a {@link BarrierError} that lists all tasks.
 */
export class AsyncBarrier {
  readonly #count: number;
  readonly #timeout: number;
  readonly #statuses: TaskStatus[];
  readonly #waiters = new Map<number, Waiter>();
  /** The label of the last barrier each task passed (set once it has passed one). */
  readonly #passedLabels = new Map<number, string | undefined>();
  #label: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #broken: { why: BarrierBreak; cause: unknown } | undefined;
  #closed = false;

  constructor(count: number, timeout: number) {
    this.#count = count;
    this.#timeout = timeout;
    this.#statuses = Array.from({ length: count }, () => ({ state: 'running', passed: 0 }));
  }

  /** Task `index` arrives; resolves when all have arrived, rejects if the barrier breaks. */
  arrive(index: number, label: string | undefined): Promise<void> {
    const status = this.#statuses[index] as TaskStatus;
    const barrier = status.passed + 1;
    if (this.#closed) return Promise.reject(afterRunError(index, this.#scene(barrier)));
    if (this.#broken) {
      const { why, cause } = this.#broken;
      return Promise.reject(lateArrivalError(index, why, this.#scene(barrier), cause));
    }
    if (status.state === 'waiting') {
      return Promise.reject(awaitedTwiceError(index, this.#scene(barrier)));
    }
    const gone = this.#statuses.findIndex((s) => s.state === 'finished' || s.state === 'failed');
    if (gone !== -1) {
      const how = (this.#statuses[gone] as TaskStatus).state === 'failed' ? 'failed' : 'finished';
      const arrived = this.#wait(index, status.passed, label);
      this.#break({ kind: 'arrived-late', barrier, task: index, gone, how }, undefined);
      return arrived;
    }
    if (this.#waiters.size === 0) {
      this.#label = label;
      this.#timer = ownTimeout(() => {
        this.#timedOut(barrier);
      }, this.#timeout);
    } else if (label !== this.#label) {
      const waiting = [...this.#waiters.keys()].sort((a, b) => a - b);
      const arrived = this.#wait(index, status.passed, label);
      const waitingLabel = this.#label;
      this.#break(
        { kind: 'mismatch', barrier, task: index, label, waiting, waitingLabel },
        undefined,
      );
      return arrived;
    }
    const arrived = this.#wait(index, status.passed, label);
    if (this.#waiters.size === this.#count) this.#open();
    return arrived;
  }

  /** Marks task `index` waiting and returns the promise that opening or breaking settles. */
  #wait(index: number, passed: number, label: string | undefined): Promise<void> {
    this.#statuses[index] = { state: 'waiting', passed, label };
    return new Promise<void>((resolve, reject) => {
      this.#waiters.set(index, { resolve, reject });
    });
  }

  /** Task `index` returned. Breaks the barrier if others wait at it. */
  finish(index: number): void {
    const { passed } = this.#statuses[index] as TaskStatus;
    this.#statuses[index] = { state: 'finished', passed };
    if (this.#waiters.size > 0 && !this.#broken) {
      const waiting = this.#waiters.size;
      this.#break({ kind: 'finished', barrier: this.#forming(), task: index, waiting }, undefined);
    }
  }

  /** Task `index` threw. Breaks the barrier if others wait at it. */
  fail(index: number, error: unknown): void {
    const { passed } = this.#statuses[index] as TaskStatus;
    const summary = errorLine(error);
    this.#statuses[index] = { state: 'failed', passed, error: summary };
    if (this.#waiters.size > 0 && !this.#broken) {
      const waiting = this.#waiters.size;
      const barrier = this.#forming();
      this.#break({ kind: 'failed', barrier, task: index, waiting, error: summary }, error);
    }
  }

  /** The run is over: no timer stays behind, and later arrivals are rejected. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  /** The label of the last barrier task `index` passed as `{ label }`; undefined if none. */
  passedLabel(index: number): { label: string | undefined } | undefined {
    return this.#passedLabels.has(index) ? { label: this.#passedLabels.get(index) } : undefined;
  }

  /** Every task's status, for reports. */
  statuses(): readonly TaskStatus[] {
    return [...this.#statuses];
  }

  #forming(): number {
    const waiting = this.#statuses.find((s) => s.state === 'waiting');
    return (waiting?.passed ?? 0) + 1;
  }

  #open(): void {
    clearTimeout(this.#timer);
    const waiters = [...this.#waiters.entries()].sort(([a], [b]) => a - b);
    this.#waiters.clear();
    for (const [index] of waiters) {
      const { passed } = this.#statuses[index] as TaskStatus;
      this.#statuses[index] = { state: 'running', passed: passed + 1 };
      this.#passedLabels.set(index, this.#label);
    }
    for (const [, waiter] of waiters) waiter.resolve();
  }

  #timedOut(barrier: number): void {
    const [timeout, count, arrived] = [this.#timeout, this.#count, this.#waiters.size];
    this.#break({ kind: 'timeout', barrier, timeout, arrived, count }, undefined);
  }

  /** Breaks the barrier for good and rejects every waiter. */
  #break(why: BarrierBreak, cause: unknown): void {
    clearTimeout(this.#timer);
    this.#broken = { why, cause };
    const waiters = [...this.#waiters.entries()].sort(([a], [b]) => a - b);
    this.#waiters.clear();
    const error = brokenError(why, this.#scene(this.#forming()), cause);
    for (const [index] of waiters) {
      // A waiter that failed meanwhile (timed out while it waited) stays failed.
      const status = this.#statuses[index] as TaskStatus;
      if (status.state === 'waiting') {
        this.#statuses[index] = { state: 'running', passed: status.passed };
      }
    }
    for (const [, waiter] of waiters) waiter.reject(error);
  }

  /** The barrier as an error about barrier `barrier` shows it. */
  #scene(barrier: number): BarrierScene {
    return { barrier, tasks: this.statuses(), timeout: this.#timeout };
  }
}
