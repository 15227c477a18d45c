import type { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from '../../internal/thenable.ts';
import type { StepRecord } from '../../trace/types.ts';
import type { Chooser, RunResult, SchedulerView } from './run-types.ts';
import type { Point, Scheduler, TaskContext } from './task-context.ts';

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
  /** False until the task's first grant called its function. */
  started: boolean;
}

/** The time and step limits of a schedule. */
export interface ScheduleLimits {
  readonly stepTimeout: number;
  readonly settleTimeout: number;
  /** How long every unfinished task may be blocked before it is a deadlock. */
  readonly deadlockTimeout: number;
  /** The most steps a schedule may take before it is reported as a livelock. */
  readonly maxSteps: number;
}

/** What an abandoned task's scheduling points return: it never goes on. */
const ABANDONED = new Promise<void>(() => undefined);

/** After this many steps in a row of one task, the others get a turn (not a preemption). */
const FAIRNESS_STREAK = 64;
/** Every this many steps, the next grant waits for the event loop, so timers can fire. */
const YIELD_EVERY = 1024;

/**
 * One schedule of the tasks: starts every task parked at `start`, then grants one step at a
 * time as `chooser` decides, until every task has settled, one failed, or all are blocked.
 */
export class ScheduleRun implements Scheduler {
  readonly #slots: Slot[];
  readonly #result: RunResult;
  #released = false;
  #unfinished = 0;
  /**
   * The scheduler is a state machine advanced synchronously whenever something moves (a task
   * parks, settles or aborts; the timer fires), not an async loop: every await would cost a
   * promise and a microtask hop per step.
   */
  #phase: 'starting' | 'decide' | 'step' | 'stuck' | 'yield' | 'settle' | 'done' = 'starting';
  /** How many steps in a row the current task has run. */
  #streak = 0;
  /** The step count at the last yield to the event loop (so it yields once per batch). */
  #yielded = 0;
  #advancing = false;
  #again = false;
  #current = -1;
  #stepSlot: Slot | undefined;
  #stepParks = 0;
  #stepRecord: StepRecord | undefined;
  #stuckUnfinished = 0;
  #finished: ((result: RunResult) => void) | undefined;
  #view: SchedulerView;
  #timedOut = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerMs = 0;
  readonly #onTimer = (): void => {
    this.#timedOut = true;
    this.#wake();
  };

  constructor(
    private readonly storage: AsyncLocalStorage<TaskContext>,
    private readonly chooser: Chooser,
    private readonly limits: ScheduleLimits,
  ) {
    this.#slots = [];
    this.#view = this.#makeView();
    this.#result = {
      failure: undefined,
      results: [],
      trace: [],
      decisions: [],
      abandoned: [],
      lateErrors: [],
      blockedSettled: false,
    };
  }

  park(task: number, point: Point): Promise<void> | undefined {
    const slot = this.#slots[task] as Slot;
    if (this.#released) {
      // A task given up on stops at its next point, instead of running on unseen.
      if (this.#phase === 'done' && !slot.settled) return ABANDONED;
      // Free running, but through the event loop: a task spinning on a point must not starve
      // the timers (the settle timeout among them).
      return new Promise((resolve) => setImmediate(resolve));
    }
    if (slot.last?.end === 'blocked') slot.last.end = 'parked';
    return new Promise<void>((release) => {
      slot.waiting.push({ point, release });
      slot.parks++;
      this.#wake();
    });
  }

  abort(error: unknown): void {
    if (this.#released || this.#result.failure?.kind === 'abort') return;
    this.#result.failure = { kind: 'abort', error };
    this.#wake();
  }

  execute(tasks: readonly ((ctx: never) => unknown)[], ctx: unknown): Promise<RunResult> {
    tasks.forEach((fn, index) => {
      // Parked at `start` without having run: the grant calls the task's function (saving a
      // promise and two hops per task, which add up over many schedules).
      const start: Waiter = {
        point: { label: 'start' },
        release: () => {
          this.#start(index, fn as (ctx: unknown) => unknown, ctx);
        },
      };
      this.#slots.push({
        waiting: [start],
        parks: 1,
        settled: false,
        failed: false,
        last: undefined,
        started: false,
      });
      this.#unfinished++;
    });
    return new Promise((resolve) => {
      this.#finished = resolve;
      this.#phase = 'decide';
      this.#wake();
    });
  }

  /** Runs a task's function in the task's async context, and watches how it settles. */
  #start(index: number, fn: (ctx: unknown) => unknown, ctx: unknown): void {
    const slot = this.#slots[index] as Slot;
    slot.started = true;
    // Once the schedule has failed, the trace shows the moment of the failure: what tasks do
    // while they settle is not written into it.
    const finished = (value: unknown) => {
      this.#result.results[index] = value;
      if (slot.last && !this.#released) {
        slot.last.end = 'finished';
        slot.last.returned = value;
      }
      this.#settled(slot);
    };
    const failed = (error: unknown) => {
      slot.failed = true;
      if (this.#released) {
        this.#result.lateErrors.push({ task: index, error });
      } else {
        if (slot.last) {
          slot.last.end = 'failed';
          slot.last.thrown = error;
        }
        this.#result.failure ??= { kind: 'task', task: index, error };
      }
      this.#settled(slot);
    };
    this.storage.run({ scheduler: this, task: index }, () => {
      let returned: unknown;
      try {
        returned = fn(ctx);
      } catch (error) {
        failed(error);
        return;
      }
      if (isThenable(returned)) Promise.resolve(returned).then(finished, failed);
      else finished(returned);
    });
  }

  #settled(slot: Slot): void {
    slot.settled = true;
    this.#unfinished--;
    this.#wake();
  }

  /** Advances the state machine as far as it goes without waiting. Re-entrant calls queue. */
  #wake(): void {
    if (this.#advancing) {
      this.#again = true;
      return;
    }
    this.#advancing = true;
    try {
      do {
        this.#again = false;
        this.#advance();
        // A park or settle during #advance (a release runs no task code synchronously, but a
        // chooser or timer might) asked for another pass.
      } while (this.#wokenAgain());
    } finally {
      this.#advancing = false;
    }
  }

  #wokenAgain(): boolean {
    return this.#again;
  }

  #advance(): void {
    const result = this.#result;
    for (;;) {
      switch (this.#phase) {
        case 'starting':
        case 'done':
          return;
        case 'step': {
          const slot = this.#stepSlot as Slot;
          if (slot.parks === this.#stepParks && !slot.settled && !this.#failed()) {
            if (!this.#timedOut) return;
            (this.#stepRecord as StepRecord).blocked = true;
          }
          this.#phase = 'decide';
          break;
        }
        case 'yield':
          return;
        case 'stuck': {
          // Every unfinished task was blocked: they get deadlockTimeout to move.
          if (
            !this.#anyWaiting() &&
            this.#unfinished === this.#stuckUnfinished &&
            !this.#failed()
          ) {
            if (!this.#timedOut) return;
            result.failure = { kind: 'deadlock', blocked: this.#unfinishedTasks() };
          }
          this.#phase = 'decide';
          break;
        }
        case 'decide':
          this.#decide();
          break;
        case 'settle':
          if (this.#unfinished > 0 && !this.#timedOut) return;
          result.abandoned.push(...this.#unfinishedTasks());
          if (result.failure?.kind === 'deadlock') {
            const blocked = result.failure.blocked;
            result.blockedSettled =
              result.abandoned.length === 0 &&
              !result.lateErrors.some((late) => blocked.includes(late.task));
          }
          this.#finish();
          return;
      }
    }
  }

  /** Picks and grants the next step, or moves on to waiting, settling or finishing. */
  #decide(): void {
    const result = this.#result;
    if (result.failure !== undefined) {
      this.#startSettling();
      return;
    }
    if (this.#unfinished === 0) {
      this.#finish();
      return;
    }
    const steps = result.trace.length;
    if (steps >= this.limits.maxSteps) {
      result.failure = { kind: 'livelock', steps };
      return;
    }
    if (steps > 0 && steps % YIELD_EVERY === 0 && this.#yielded !== steps) {
      // Long schedules run entirely in microtasks; let timers (and the test runner's own
      // timeout) fire now and then.
      this.#phase = 'yield';
      setImmediate(() => {
        this.#phase = 'decide';
        this.#yielded = steps;
        this.#wake();
      });
      return;
    }
    let enabled = this.#enabled();
    if (enabled.length === 0) {
      this.#stuckUnfinished = this.#unfinished;
      this.#arm(this.limits.deadlockTimeout);
      this.#phase = 'stuck';
      return;
    }
    const current = this.#current;
    if (this.#streak >= FAIRNESS_STREAK && enabled.length > 1 && enabled.includes(current)) {
      // A task spinning on a scheduling point (a polling loop) would run forever under the
      // default choice: the others get a turn, as if it were blocked.
      enabled = enabled.filter((task) => task !== current);
    }
    let chosen: number;
    try {
      chosen = this.chooser.choose(enabled, current, result.trace.length, this.#view);
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
    this.#streak = chosen === current ? this.#streak + 1 : 1;
    this.#current = chosen;
    this.#stepSlot = slot;
    this.#stepParks = slot.parks;
    this.#stepRecord = record;
    this.#arm(this.limits.stepTimeout);
    this.#phase = 'step';
    waiter.release();
  }

  /**
   * After a failure: let every started task run freely, and wait (bounded) for all to settle.
   * Tasks that never started stay unstarted.
   */
  #startSettling(): void {
    this.#released = true;
    for (const slot of this.#slots) {
      if (!slot.started && !slot.settled) {
        slot.waiting.length = 0;
        slot.settled = true;
        this.#unfinished--;
      }
      for (const waiter of slot.waiting.splice(0)) waiter.release();
    }
    this.#arm(this.limits.settleTimeout);
    this.#phase = 'settle';
  }

  /** Ends the schedule. Points reached after it (detached work) pass straight through. */
  #finish(): void {
    this.#phase = 'done';
    this.#released = true;
    clearTimeout(this.#timer);
    for (const slot of this.#slots) {
      if (slot.waiting.length > 0) for (const waiter of slot.waiting.splice(0)) waiter.release();
    }
    this.#finished?.(this.#result);
  }

  /** Read through a method: the failure may be set by a task at any wake. */
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

  #unfinishedTasks(): number[] {
    return this.#slots.flatMap((slot, index) => (slot.settled ? [] : [index]));
  }

  /** The view reads the slots when asked: they are filled by `execute`, after the constructor. */
  #makeView(): SchedulerView {
    const slots = this.#slots;
    return {
      get taskCount() {
        return slots.length;
      },
      state: (task) => {
        const slot = slots[task] as Slot;
        if (slot.settled) return slot.failed ? 'failed' : 'finished';
        return slot.waiting.length > 0 ? 'parked' : 'running';
      },
      pointLabel: (task) => slots[task]?.waiting[0]?.point.label,
    };
  }

  /**
   * Starts the timeout of the next wait. One timer serves every wait of the schedule
   * (re-armed with `refresh()`, cheaper than a timer per step). It is what keeps Node's event
   * loop alive while tasks wait on in-memory promises, so it is not unref'd; `execute` clears
   * it at the end.
   */
  #arm(ms: number): void {
    this.#timedOut = false;
    if (this.#timer !== undefined && this.#timerMs === ms) {
      this.#timer.refresh();
    } else {
      clearTimeout(this.#timer);
      this.#timerMs = ms;
      this.#timer = setTimeout(this.#onTimer, ms);
    }
  }
}
