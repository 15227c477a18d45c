import type { AsyncLocalStorage } from 'node:async_hooks';
import { QUIET_DEADLOCK_MS } from '../../internal/defaults.ts';
import { realTimers } from '../../internal/real-timers.ts';
import { Decider } from './decider.ts';
import { runTask } from './run-task.ts';
import { abandonTasks, parkReleased } from './released.ts';
import { newRunResult, spinSummary, taskSettled } from './run-outcome.ts';
import type { Chooser, Decision, RunResult, ScheduleLimits } from './run-types.ts';
import { StepTimer } from './step-timer.ts';
import type { Point, Scheduler, TaskContext } from './task-context.ts';
import { TaskSlots } from './task-slots.ts';
import { TimersLane } from './timers-lane.ts';
import type { VirtualTimers } from './virtual-timers.ts';
import { publishTrace, TraceRecorder } from './trace-recorder.ts';

/** The hold of a deferred call made once the schedule has let its tasks go: nothing to keep. */
const NO_HOLD = (): void => undefined;

/** Every this many steps, the next grant waits for the event loop, so timers can fire. */
const YIELD_EVERY = 1024;

/**
 * One schedule of the tasks: starts every task parked at `start`, then grants one step at a
 * time as `chooser` decides, until every task has settled, one failed, or all are blocked.
 *
 * A state machine advanced synchronously (`#wake`) whenever something moves (a task parks,
 * settles or aborts; the timer fires), not an async loop: every await would cost a promise
 * and a microtask hop per step. One {@link StepTimer} bounds each phase's wait.
 *
 * | phase    | event                                        | next phase                         |
 * | -------- | -------------------------------------------- | ---------------------------------- |
 * | starting | `execute()`                                  | decide                             |
 * | decide   | a failure is set                             | settle (started tasks run freely)  |
 * | decide   | every task has settled                       | done                               |
 * | decide   | `maxSteps` steps taken                       | decide (failure: livelock)         |
 * | decide   | a task runs (maybe just woken), or another   | turn (once before each decision)   |
 * |          | `YIELD_EVERY` steps were taken               |                                    |
 * | decide   | no task parked                               | stuck (timer: `deadlockTimeout`)   |
 * | decide   | the chooser throws                           | decide (failure: abort)            |
 * | decide   | the chooser picks a task                     | step (grant; timer: `stepTimeout`) |
 * | step     | its task parks or settles; a failure is set  | decide                             |
 * | step     | the timer fires                              | decide (the step is `blocked`)     |
 * | stuck    | a task parks or settles; a failure is set    | decide                             |
 * | stuck    | the timer fires                              | decide (failure: deadlock)         |
 * | turn     | the event loop's next turn (`setImmediate`)  | decide                             |
 * | settle   | all settled, or the timer (`settleTimeout`)  | done (the unsettled are abandoned) |
 * | done     | a task reaches a point                       | done (it passes, or never returns) |
 *
 * Who is parked is in {@link TaskSlots}, who runs next is the {@link Decider}'s, the trace
 * is written by the {@link TraceRecorder} alone and published (frozen) if the schedule failed,
 * and the rest of the `RunResult` by the functions of `run-outcome.ts`.
 *
 * Its parts are cheap per schedule on purpose: a schedule is short (tens of steps) and
 * explore runs thousands, so each helper object, closure or tiny accessor on the step path
 * shows in the cost per schedule (measured as instructions per schedule under callgrind).
 */
export class ScheduleRun implements Scheduler {
  readonly #slots = new TaskSlots();
  readonly #recorder = new TraceRecorder();
  readonly #decider: Decider;
  readonly #timer: StepTimer;
  readonly #result: RunResult;
  #phase: 'starting' | 'decide' | 'turn' | 'step' | 'stuck' | 'settle' | 'done' = 'starting';
  /** Set once the tasks have had an event-loop turn to reach their points since the last step. */
  #quiet = false;
  /** Set once the schedule failed or ended: tasks are no longer held at their points. */
  #released = false;
  /** `#wake` is running; `#again`: it was woken meanwhile and makes one more pass. */
  #advancing = false;
  #again = false;
  /** How many tasks had not settled when every one of them was blocked. */
  #stuckUnfinished = 0;
  #finished: ((result: RunResult) => void) | undefined;
  /** The timers' lane and its virtual clock, made with the schedule's first timer. */
  #timers: TimersLane | undefined;
  /** By task: what its function returned while deferred calls of it were still open. */
  #bodies: { value: unknown }[] | undefined;
  /** By task: the storage hold of a task abandoned while running (see `holdForAbandoned`). */
  #holds: (() => void)[] | undefined;

  constructor(
    private readonly storage: AsyncLocalStorage<TaskContext>,
    chooser: Chooser,
    private readonly limits: ScheduleLimits,
  ) {
    this.#decider = new Decider(chooser);
    this.#timer = new StepTimer(
      () => {
        this.#wake();
      },
      () => this.#waiting(),
      limits.sources,
    );
    this.#result = newRunResult(this.#recorder.trace, this.#decider.decisions);
  }

  park(task: number, point: Point): Promise<void> | undefined {
    if (this.#released) {
      const abandoned = this.#phase === 'done' && !this.#slots.settled(task);
      return parkReleased(abandoned, this.#holds?.[task], this.#timer);
    }
    this.#recorder.parked(task);
    return new Promise<void>((release) => {
      this.#slots.park(task, point, release);
      this.#wake();
    });
  }

  defer(task: number, point: Point, run: () => void, endsStep: boolean): void {
    const close = this.hold(task);
    void this.park(task, point)?.then(() => {
      const step = this.#result.trace.length;
      try {
        run();
      } catch (error) {
        this.#settled(task, false, error);
      } finally {
        close();
        if (endsStep) this.#ranOut(task, step);
      }
    });
  }

  clock(): VirtualTimers | undefined {
    if (this.#released || !this.limits.virtualTime) return undefined;
    return (this.#timers ??= new TimersLane({
      slots: this.#slots,
      released: () => this.#released,
      wake: () => {
        this.#wake();
      },
      steps: () => this.#result.trace.length,
      ranOut: (lane, step) => {
        this.#ranOut(lane, step);
      },
      threw: (task, error) => {
        // As an uncaught exception would, it fails the schedule even if its task had returned.
        if (this.#slots.settled(task)) this.#result.failure ??= { kind: 'task', task, error };
        else this.#settled(task, false, error);
        this.#wake();
      },
    })).clock;
  }

  /**
   * The step of `task` ended when a deferred call or a timer it was granted returned, unless
   * it had ended before (the call parked the task, and the scheduler granted a later step).
   */
  #ranOut(task: number, step: number): void {
    if (this.#released || this.#result.trace.length !== step) return;
    this.#recorder.parked(task);
    this.#slots.ranOut(task);
    this.#wake();
  }

  hold(task: number): () => void {
    if (this.#released) return NO_HOLD;
    this.#slots.open(task);
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const body = this.#bodies?.[task];
      if (this.#slots.close(task) && body !== undefined) this.#settled(task, true, body.value);
    };
  }

  outcome(point: Point, ok: boolean, valueOrError: unknown): void {
    this.#recorder.outcome(point, ok, valueOrError);
  }

  abort(error: unknown): void {
    if (this.#released || this.#result.failure?.kind === 'abort') return;
    this.#result.failure = { kind: 'abort', error };
    this.#wake();
  }

  execute(tasks: readonly ((ctx: never) => unknown)[], ctx: unknown): Promise<RunResult> {
    tasks.forEach((fn, task) => {
      this.#slots.add(() => {
        const run = fn as (ctx: unknown) => unknown;
        runTask(this.storage, { scheduler: this, task }, run, ctx, (ok, value) => {
          this.#settled(task, ok, value);
        });
      });
    });
    return new Promise((resolve) => {
      this.#finished = resolve;
      this.#phase = 'decide';
      this.#wake();
    });
  }

  /**
   * The function of `task` returned (`ok`) or threw `value`, or a deferred call of it threw.
   * A task whose deferred calls are still open finishes when the last has run.
   */
  #settled(task: number, ok: boolean, value: unknown): void {
    if (this.#slots.settled(task)) {
      if (!ok) this.#result.lateErrors.push({ task, error: value });
      return;
    }
    if (ok && !this.#released && this.#bodies?.[task] === undefined) {
      if (!this.#slots.bodyReturned(task)) {
        (this.#bodies ??= [])[task] = { value };
        return;
      }
    }
    this.#holds?.[task]?.();
    taskSettled(this.#result, task, ok, value, this.#released);
    this.#recorder.settled(task, ok, value);
    this.#slots.settle(task, !ok);
    this.#wake();
  }

  /**
   * Runs `#advance`, never inside itself: a wake during a pass (a chooser, a timer, a task
   * that parks or settles at once) asks for one more pass.
   */
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
      } while (this.#wokenAgain());
    } finally {
      this.#advancing = false;
    }
  }

  /** Read through a method: `#advance` may have set it. */
  #wokenAgain(): boolean {
    return this.#again;
  }

  /** The event loop's next turn after a `turn`: every woken task has run to a point. */
  static #turned(this: void, run: ScheduleRun): void {
    if (run.#phase !== 'turn') return;
    run.#quiet = true;
    run.#phase = 'decide';
    run.#wake();
  }

  /** Whether the wait of the current phase is still on (for the timer's quiet check). */
  #waiting(): boolean {
    const failed = this.#result.failure !== undefined;
    switch (this.#phase) {
      case 'step':
        return !failed && !this.#slots.moved();
      case 'settle':
        return this.#slots.unfinished > 0;
      default:
        return false;
    }
  }

  /** Moves through the phases as far as it goes without waiting (see the table above). */
  #advance(): void {
    const slots = this.#slots;
    for (;;) {
      switch (this.#phase) {
        case 'starting':
        case 'turn':
        case 'done':
          return;
        case 'step': {
          if (!slots.moved() && this.#result.failure === undefined) {
            if (!this.#timer.timedOut) return;
            this.#recorder.blocked(this.#decider.current);
          }
          this.#phase = 'decide';
          break;
        }
        case 'stuck':
          // Every unfinished task was blocked: they get deadlockTimeout to move.
          if (slots.stillStuck(this.#stuckUnfinished) && this.#result.failure === undefined) {
            if (!this.#timer.timedOut) return;
            this.#result.failure = { kind: 'deadlock', blocked: slots.unfinishedTasks() };
          }
          this.#phase = 'decide';
          break;
        case 'decide':
          this.#decide();
          break;
        case 'settle':
          if (slots.unfinished > 0 && !this.#timer.timedOut) return;
          if (slots.unfinished > 0 && this.#timer.endedQuietly) this.#result.abandonedAtOnce = true;
          this.#holds = abandonTasks(this.#result, slots.unfinishedTasks());
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
    if (this.#slots.unfinished === 0) {
      this.#finish();
      return;
    }
    const steps = result.trace.length;
    if (steps >= this.limits.maxSteps) {
      result.failure = { kind: 'livelock', steps, spun: spinSummary(result.trace) };
      return;
    }
    let enabled = this.#slots.enabled();
    // A turn of the event loop before deciding, when a task neither parked nor settled may
    // have just been woken by the last step (a lock handed over, a promise it awaits
    // resolved): its continuation is still queued, and once every queued microtask and tick
    // has run it has parked at its next point and can be chosen before the waker goes on
    // (still running then, it is waiting). Also every YIELD_EVERY steps: long schedules run
    // entirely in microtasks, and timers (the test runner's timeout too) must fire.
    if (
      !this.#quiet &&
      (this.#slots.tasksIn(enabled) < this.#slots.unfinished ||
        (steps > 0 && steps % YIELD_EVERY === 0))
    ) {
      this.#phase = 'turn';
      realTimers.setImmediate(ScheduleRun.#turned, this);
      return;
    }
    this.#quiet = false;
    // An unref'd timer does not keep a process alive: when only it could still run, the
    // tasks are as stuck as if it were not there (Node would exit).
    if (this.#slots.tasksIn(enabled) === 0 && this.#timers?.head?.hasRef() === false) enabled = [];
    if (enabled.length === 0) {
      // Every unfinished task waits; after the turn above, if nothing in the process could
      // wake any of them (no I/O, timer or immediate), only each other could: a deadlock
      // after a short quiet wait (QUIET_DEADLOCK_MS), not after deadlockTimeout.
      this.#stuckUnfinished = this.#slots.unfinished;
      this.#timer.arm(
        this.#timer.sourcesPossible() ? this.limits.deadlockTimeout : QUIET_DEADLOCK_MS,
      );
      this.#phase = 'stuck';
      return;
    }
    let decision: Decision;
    try {
      decision = this.#decider.decide(enabled, steps, this.#slots.view);
    } catch (error) {
      result.failure = { kind: 'abort', error };
      return;
    }
    const waiter = this.#slots.grant(decision.chosen);
    this.#recorder.begin(decision.chosen, waiter.point, decision.preemption);
    this.#timer.goOn(this.limits.stepTimeout);
    this.#phase = 'step';
    waiter.release();
  }

  /**
   * After a failure: let every started task run freely, and wait (bounded) for all to settle.
   * Tasks that never started stay unstarted. What tasks do from now on is not traced.
   */
  #startSettling(): void {
    this.#released = true;
    this.#timers?.clock.releaseAll();
    this.#recorder.closeAll();
    this.#slots.dropUnstarted();
    this.#slots.releaseAll();
    this.#phase = 'settle';
    this.#timer.goOn(this.limits.settleTimeout);
  }

  /** Ends the schedule. Points reached after it (detached work) pass straight through. */
  #finish(): void {
    this.#phase = 'done';
    this.#released = true;
    this.#timers?.clock.dropAll();
    this.#timer.clear();
    this.#recorder.finish();
    if (this.#result.failure !== undefined) publishTrace(this.#recorder.trace);
    this.#decider.finish();
    this.#slots.releaseAll();
    this.#finished?.(this.#result);
  }
}
