import type { AsyncLocalStorage } from 'node:async_hooks';
import type { StepRecord } from '../trace/types.ts';
import type { Point, Scheduler, TaskContext } from './task-context.ts';

/** Where a task stands, as a chooser sees it. */
export type TaskState = 'parked' | 'running' | 'finished' | 'failed';

/** What a chooser may look at when it decides. */
export interface SchedulerView {
  readonly taskCount: number;
  state(task: number): TaskState;
  /** The label of the point `task` is parked at, if it is parked. */
  pointLabel(task: number): string | undefined;
}

/** Decides which task runs the next step. */
export interface Chooser {
  /**
   * Picks one of `enabled` (task indices in ascending order, never empty). `current` ran the
   * previous step (-1 before the first); `step` is the 0-based index of the step to run.
   */
  choose(enabled: readonly number[], current: number, step: number, view: SchedulerView): number;
}

/** One decision of a schedule. */
export interface Decision {
  readonly enabled: readonly number[];
  readonly current: number;
  readonly chosen: number;
  /** The previous task could have gone on, and another one was chosen. */
  readonly preemption: boolean;
}

/** Why a schedule failed. */
export type RunFailure =
  | { readonly kind: 'task'; readonly task: number; readonly error: unknown }
  | { readonly kind: 'check'; readonly error: unknown }
  | { readonly kind: 'deadlock'; readonly blocked: readonly number[] }
  | { readonly kind: 'abort'; readonly error: unknown };

/** Everything one schedule produced. */
export interface RunResult {
  failure: RunFailure | undefined;
  readonly results: unknown[];
  readonly trace: StepRecord[];
  readonly decisions: Decision[];
  /** Tasks that had not settled within `settleTimeout` after a failed schedule. */
  readonly abandoned: number[];
  /** Errors tasks threw after the schedule had failed (e.g. a database's deadlock victim). */
  readonly lateErrors: { readonly task: number; readonly error: unknown }[];
}

interface Waiter {
  readonly point: Point;
  readonly release: () => void;
}

interface Slot {
  readonly waiting: Waiter[];
  /** How many times the task has parked: a step ends when this grows. */
  parks: number;
  settled: boolean;
  failed: boolean;
  last: StepRecord | undefined;
}

/** The default choice: let the current task go on, else the lowest-numbered one. */
export function defaultChoice(enabled: readonly number[], current: number): number {
  return enabled.includes(current) ? current : (enabled[0] as number);
}

/**
 * One schedule of the tasks: starts every task parked at `start`, then grants one step at a
 * time as `chooser` decides, until every task has settled, one failed, or all are blocked.
 */
export class ScheduleRun implements Scheduler {
  readonly #slots: Slot[];
  readonly #result: RunResult;
  #released = false;
  #wake: (() => void) | undefined;

  constructor(
    private readonly storage: AsyncLocalStorage<TaskContext>,
    private readonly chooser: Chooser,
    private readonly stepTimeout: number,
    private readonly settleTimeout: number,
  ) {
    this.#slots = [];
    this.#result = {
      failure: undefined,
      results: [],
      trace: [],
      decisions: [],
      abandoned: [],
      lateErrors: [],
    };
  }

  park(task: number, point: Point): Promise<void> | undefined {
    if (this.#released) return undefined;
    const slot = this.#slots[task] as Slot;
    if (slot.last?.end === 'blocked') slot.last.end = 'parked';
    return new Promise<void>((release) => {
      slot.waiting.push({ point, release });
      slot.parks++;
      this.#wake?.();
    });
  }

  abort(error: unknown): void {
    if (this.#released || this.#result.failure?.kind === 'abort') return;
    this.#result.failure = { kind: 'abort', error };
    this.#wake?.();
  }

  async execute(tasks: readonly ((ctx: never) => unknown)[], ctx: unknown): Promise<RunResult> {
    tasks.forEach((fn, index) => {
      this.#slots.push({ waiting: [], parks: 0, settled: false, failed: false, last: undefined });
      this.storage.run({ scheduler: this, task: index }, () => {
        void this.#runTask(index, fn as (ctx: unknown) => unknown, ctx);
      });
    });
    await this.#schedule();
    if (this.#result.failure !== undefined) await this.#settle();
    return this.#result;
  }

  async #runTask(index: number, fn: (ctx: unknown) => unknown, ctx: unknown): Promise<void> {
    const slot = this.#slots[index] as Slot;
    try {
      await this.park(index, { label: 'start' });
      this.#result.results[index] = await fn(ctx);
      if (slot.last) {
        slot.last.end = 'finished';
        slot.last.returned = this.#result.results[index];
      }
    } catch (error) {
      slot.failed = true;
      if (slot.last) {
        slot.last.end = 'failed';
        slot.last.thrown = error;
      }
      if (!this.#released) this.#result.failure ??= { kind: 'task', task: index, error };
      else this.#result.lateErrors.push({ task: index, error });
    }
    slot.settled = true;
    this.#wake?.();
  }

  async #schedule(): Promise<void> {
    const result = this.#result;
    const view = this.#view();
    let current = -1;
    while (result.failure === undefined) {
      const unfinished = this.#slots.filter((slot) => !slot.settled).length;
      if (unfinished === 0) return;
      const enabled = this.#enabled();
      if (enabled.length === 0) {
        // Every unfinished task is blocked: give them one more step's time to move.
        const moved = await this.#waitUntil(
          () => this.#anyWaiting() || this.#unfinished() < unfinished,
          this.stepTimeout,
        );
        if (!moved && !this.#failed()) {
          result.failure = { kind: 'deadlock', blocked: this.#unfinishedTasks() };
        }
        continue;
      }
      let chosen: number;
      try {
        chosen = this.chooser.choose(enabled, current, result.trace.length, view);
      } catch (error) {
        result.failure = { kind: 'abort', error };
        return;
      }
      const preemption = current >= 0 && chosen !== current && enabled.includes(current);
      result.decisions.push({ enabled, current, chosen, preemption });
      const slot = this.#slots[chosen] as Slot;
      const waiter = slot.waiting.shift() as Waiter;
      const record: StepRecord = {
        step: result.trace.length + 1,
        task: chosen,
        label: waiter.point.label,
        preempted: preemption,
        end: 'blocked',
        blocked: false,
      };
      if (waiter.point.args !== undefined) record.args = waiter.point.args;
      waiter.point.record = record;
      result.trace.push(record);
      slot.last = record;
      current = chosen;
      const parks = slot.parks;
      waiter.release();
      const ended = await this.#waitUntil(
        () => slot.parks > parks || slot.settled || result.failure !== undefined,
        this.stepTimeout,
      );
      if (!ended) record.blocked = true;
    }
  }

  /** After a failure: let every task run freely, and wait (bounded) for all to settle. */
  async #settle(): Promise<void> {
    this.#released = true;
    for (const slot of this.#slots) {
      for (const waiter of slot.waiting.splice(0)) waiter.release();
    }
    await this.#waitUntil(() => this.#unfinished() === 0, this.settleTimeout);
    this.#result.abandoned.push(...this.#unfinishedTasks());
  }

  /** Read through a method: the failure may be set by a task while the loop awaits. */
  #failed(): boolean {
    return this.#result.failure !== undefined;
  }

  #enabled(): number[] {
    const enabled: number[] = [];
    this.#slots.forEach((slot, index) => {
      if (slot.waiting.length > 0) enabled.push(index);
    });
    return enabled;
  }

  #anyWaiting(): boolean {
    return this.#slots.some((slot) => slot.waiting.length > 0);
  }

  #unfinished(): number {
    return this.#slots.filter((slot) => !slot.settled).length;
  }

  #unfinishedTasks(): number[] {
    return this.#slots.flatMap((slot, index) => (slot.settled ? [] : [index]));
  }

  #view(): SchedulerView {
    const slots = this.#slots;
    return {
      taskCount: slots.length,
      state: (task) => {
        const slot = slots[task] as Slot;
        if (slot.settled) return slot.failed ? 'failed' : 'finished';
        return slot.waiting.length > 0 ? 'parked' : 'running';
      },
      pointLabel: (task) => slots[task]?.waiting[0]?.point.label,
    };
  }

  /**
   * Resolves true as soon as `done()` holds, or with `done()` after `ms`. The timer is what
   * keeps Node's event loop alive while tasks wait on in-memory promises, so it is not unref'd.
   */
  #waitUntil(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve(done());
      }, ms);
      this.#wake = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#wake = undefined;
        resolve(true);
      };
    });
  }
}
