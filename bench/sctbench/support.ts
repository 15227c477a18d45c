/**
 * What the SCTBench ports are built from: shared memory, mutexes and condition variables
 * whose every operation is a scheduling point, as in the controlled-scheduler model of the
 * study (Thomson, Donaldson, Betts): a point before every shared read, write, lock, unlock,
 * wait and signal.
 *
 * The point is a parameter, so that one port runs under interleave (`checkpoint`) and under
 * fast-check's scheduler (`s.schedule(...)`, see `fast-check.ts`).
 */
import { checkpoint } from 'interleave';

/** A scheduling point, named for the trace. */
export type Point = (label: string) => Promise<void>;

/**
 * How a task waits for a held mutex (or a condition):
 * - `handover`: on an in-memory promise, resolved by the unlock that hands the mutex over,
 *   as the usual async mutexes do. The waiter takes no step while it waits.
 * - `spin`: it polls, a scheduling point per look (`while (held) await checkpoint()`), as a
 *   port written with a spin lock does; every look is a step.
 */
export type LockStyle = 'handover' | 'spin';

/** How a port is built: which point, which locks. Defaults: `checkpoint`, `handover`. */
export interface PortOptions {
  readonly point?: Point;
  readonly locks?: LockStyle;
}

/** One shared variable: reading and writing it are scheduling points. */
export class Cell<T> {
  constructor(
    private readonly point: Point,
    readonly name: string,
    /** The value, for setup and for the final check (no point). */
    public value: T,
  ) {}

  async get(): Promise<T> {
    await this.point(`read ${this.name}`);
    return this.value;
  }

  async set(value: T): Promise<void> {
    await this.point(`write ${this.name}`);
    this.value = value;
  }
}

/** A shared array: each element read or written is a scheduling point. */
export class Cells<T> {
  readonly values: T[];

  constructor(
    private readonly point: Point,
    readonly name: string,
    length: number,
    fill: T,
  ) {
    this.values = Array.from({ length }, () => fill);
  }

  async get(index: number): Promise<T> {
    await this.point(`read ${this.name}[${index}]`);
    return this.values[index] as T;
  }

  async set(index: number, value: T): Promise<void> {
    await this.point(`write ${this.name}[${index}]`);
    this.values[index] = value;
  }
}

/** A pthread-style mutex: `lock` and `unlock` are scheduling points. */
export interface Mutex {
  readonly name: string;
  lock(): Promise<void>;
  unlock(): Promise<void>;
  /** Unlocks with no point of its own: the second half of a condition wait. */
  release(): void;
}

/** A waiter resolved by the unlock that hands it the mutex. */
class HandoverMutex implements Mutex {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  constructor(
    private readonly point: Point,
    readonly name: string,
  ) {}

  async lock(): Promise<void> {
    await this.point(`lock ${this.name}`);
    if (!this.#held) {
      this.#held = true;
      return;
    }
    // The unlocker keeps #held true for us: the mutex passes straight to this waiter.
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  async unlock(): Promise<void> {
    await this.point(`unlock ${this.name}`);
    this.release();
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next === undefined) this.#held = false;
    else next();
  }
}

/** A waiter looks again at each of its steps until the mutex is free. */
class SpinMutex implements Mutex {
  #held = false;

  constructor(
    private readonly point: Point,
    readonly name: string,
  ) {}

  async lock(): Promise<void> {
    await this.point(`lock ${this.name}`);
    while (this.#held) await this.point(`spin on ${this.name}`);
    this.#held = true;
  }

  async unlock(): Promise<void> {
    await this.point(`unlock ${this.name}`);
    this.release();
  }

  release(): void {
    this.#held = false;
  }
}

/**
 * A condition variable: `wait` and `signal` are scheduling points. `wait` queues the task
 * and unlocks the mutex in one step (nothing runs in between, as pthread_cond_wait
 * promises), sleeps until signalled, then locks the mutex again. No spurious wake-ups.
 */
export class Condition {
  readonly #sleepers: (() => void)[] = [];

  constructor(
    private readonly point: Point,
    readonly name: string,
    private readonly style: LockStyle,
  ) {}

  async wait(mutex: Mutex): Promise<void> {
    await this.point(`wait ${this.name}`);
    const sleeper = { signalled: false };
    const woken = new Promise<void>((resolve) => {
      this.#sleepers.push(() => {
        sleeper.signalled = true;
        resolve();
      });
    });
    mutex.release();
    if (this.style === 'handover') await woken;
    else while (!sleeper.signalled) await this.point(`sleep on ${this.name}`);
    await mutex.lock();
  }

  async signal(): Promise<void> {
    await this.point(`signal ${this.name}`);
    this.#sleepers.shift()?.();
  }
}

/** Makes the shared state of one schedule, every operation a point of `options.point`. */
export class Shared {
  readonly point: Point;
  readonly #locks: LockStyle;

  constructor(options: PortOptions = {}) {
    this.point = options.point ?? checkpoint;
    this.#locks = options.locks ?? 'handover';
  }

  cell<T>(name: string, value: T): Cell<T> {
    return new Cell(this.point, name, value);
  }

  cells<T>(name: string, length: number, fill: T): Cells<T> {
    return new Cells(this.point, name, length, fill);
  }

  mutex(name: string): Mutex {
    return this.#locks === 'handover'
      ? new HandoverMutex(this.point, name)
      : new SpinMutex(this.point, name);
  }

  condition(name: string): Condition {
    return new Condition(this.point, name, this.#locks);
  }
}

/** The original's `assert`: throws where it would abort the program. */
export function assert(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${what}`);
}
