import { type BarrierError, barrierError, type BarrierErrorCode } from './barrier-error.ts';
import { errorLine } from '../internal/error-text.ts';
import { formatLabel, type TaskStatus } from './task-status.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: BarrierError) => void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
  #label: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #broken: { code: BarrierErrorCode; headline: string; cause: unknown } | undefined;
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
    if (this.#closed) {
      return Promise.reject(
        this.#error(
          'ERR_BARRIER_BROKEN',
          `Task ${index} called runner.await() after its run was over; a runner is only valid while its runInParallel() call runs.`,
          barrier,
        ),
      );
    }
    if (this.#broken) {
      const { code, headline, cause } = this.#broken;
      return Promise.reject(
        this.#error(
          code,
          `Task ${index} reached barrier ${barrier}, but the barriers of this run are broken: ${headline}`,
          barrier,
          cause,
        ),
      );
    }
    if (status.state === 'waiting') {
      return Promise.reject(
        this.#error(
          'ERR_BARRIER_MISMATCH',
          `Task ${index} called runner.await() again while its previous call still waited at barrier ${barrier}. Await each runner.await() before calling it again.`,
          barrier,
        ),
      );
    }
    const gone = this.#statuses.findIndex((s) => s.state === 'finished' || s.state === 'failed');
    if (gone !== -1) {
      const how = (this.#statuses[gone] as TaskStatus).state;
      const arrived = this.#wait(index, status.passed, label);
      this.#break(
        'ERR_BARRIER_BROKEN',
        `barrier ${barrier} can never open: task ${index} arrived after task ${gone} had ${how}.`,
        undefined,
      );
      return arrived;
    }
    if (this.#waiters.size === 0) {
      this.#label = label;
      this.#timer = setTimeout(() => {
        this.#timedOut(barrier);
      }, this.#timeout);
    } else if (label !== this.#label) {
      const others = [...this.#waiters.keys()].join(', ');
      const arrived = this.#wait(index, status.passed, label);
      this.#break(
        'ERR_BARRIER_MISMATCH',
        `barrier ${barrier} got different labels: task ${index} arrived with ${formatLabel(label)} while task ${others} waited with ${formatLabel(this.#label)}, so the tasks are out of step.`,
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
      this.#break(
        'ERR_BARRIER_BROKEN',
        `barrier ${this.#forming()} can never open: task ${index} finished while ${plural(this.#waiters.size, 'task')} waited at it.`,
        undefined,
      );
    }
  }

  /** Task `index` threw. Breaks the barrier if others wait at it. */
  fail(index: number, error: unknown): void {
    const { passed } = this.#statuses[index] as TaskStatus;
    this.#statuses[index] = { state: 'failed', passed, error: errorLine(error) };
    if (this.#waiters.size > 0 && !this.#broken) {
      this.#break(
        'ERR_BARRIER_BROKEN',
        `barrier ${this.#forming()} can never open: task ${index} failed (${errorLine(error)}) while ${plural(this.#waiters.size, 'task')} waited at it.`,
        error,
      );
    }
  }

  /** The run is over: no timer stays behind, and later arrivals are rejected. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
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
    }
    for (const [, waiter] of waiters) waiter.resolve();
  }

  #timedOut(barrier: number): void {
    const arrived = this.#waiters.size;
    this.#break(
      'ERR_BARRIER_TIMEOUT',
      `barrier ${barrier} timed out after ${this.#timeout} ms with ${arrived} of ${this.#count} tasks arrived.`,
      undefined,
    );
  }

  /** Breaks the barrier for good and rejects every waiter. */
  #break(code: BarrierErrorCode, headline: string, cause: unknown): void {
    clearTimeout(this.#timer);
    this.#broken = { code, headline, cause };
    const waiters = [...this.#waiters.entries()].sort(([a], [b]) => a - b);
    this.#waiters.clear();
    const barrier = this.#forming();
    const error = this.#error(code, capitalize(headline), barrier, cause);
    for (const [index] of waiters) {
      const { passed } = this.#statuses[index] as TaskStatus;
      this.#statuses[index] = { state: 'running', passed };
    }
    for (const [, waiter] of waiters) waiter.reject(error);
  }

  #error(code: BarrierErrorCode, headline: string, barrier: number, cause?: unknown): BarrierError {
    return barrierError(
      code,
      headline,
      { barrier, tasks: this.statuses(), timeout: this.#timeout },
      cause,
    );
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
