import { AsyncLocalStorage } from 'node:async_hooks';
import type { PendingPoint } from './run-types.ts';
import type { VirtualTimers } from './virtual-timers.ts';

/**
 * A scheduling point a task parks at (`start`, `checkpoint()`, a `yieldAt` call): what the
 * chooser sees of a parked task, through {@link PendingPoint}. A point with a `target` is a
 * call whose outcome comes later, through {@link Scheduler.outcome}.
 */
export type Point = PendingPoint;

/** What a task of a running schedule can ask of its scheduler. */
export interface Scheduler {
  /** Parks `task` at `point`; resolves when the scheduler lets it go on. */
  park(task: number, point: Point): Promise<void> | undefined;
  /**
   * How the call parked at `point` (a `yieldAt` point) answered, once it has: `ok` with the
   * awaited value, or not with what it threw or rejected with. The scheduler writes it into
   * the step the point started; it drops an outcome whose point was never granted, or that
   * comes after the schedule has finished.
   */
  outcome(point: Point, ok: boolean, valueOrError: unknown): void;
  /**
   * Parks `task` at `point` for a call it did not wait for (`yieldAt` with `defer` or
   * `callback`): `run` makes the call once the point is granted, in the task's context. The
   * task is not finished before it has run; a throw from `run` fails the task. With
   * `endsStep`, the step ends once `run` has returned (and the event loop has turned);
   * otherwise it goes on until the task parks again (a callback still to come).
   */
  defer(task: number, point: Point, run: () => void, endsStep: boolean): void;
  /**
   * Keeps `task` unfinished until the returned function is called (a callback still to come);
   * calling it again does nothing.
   */
  hold(task: number): () => void;
  /**
   * The schedule's virtual clock for the timers its tasks make, or undefined when time is
   * real (`time: 'real'`, or the schedule has let its tasks go).
   */
  clock(): VirtualTimers | undefined;
  /** Ends the schedule with a usage error (e.g. `yieldAt` on a synchronous method). */
  abort(error: unknown): void;
}

/** The async context of a task: which schedule it belongs to and which task it is. */
export interface TaskContext {
  readonly scheduler: Scheduler;
  readonly task: number;
}

/**
 * `AsyncLocalStorage` turns on promise hooks for the whole process on Node 20 and slows every
 * `await`, so the storage is enabled only while at least one `explore` runs, or while a task
 * abandoned by an ended schedule may still reach a scheduling point (it must stop there, not
 * run on unseen: {@link holdForAbandoned}).
 */
let storage: AsyncLocalStorage<TaskContext> | undefined;
let running = 0;
/** Abandoned tasks that have neither settled nor stopped at a point yet. */
let abandoned = 0;

/** Scheduling points reached while an `explore` ran, but outside every task (see below). */
let outside = 0;

/**
 * Counts a scheduling point reached outside every task while an `explore` runs: code that a
 * server, a queue or a timer created before the tasks runs for them, out of their async
 * context. Such a point passes through uncontrolled; the count says so in the report.
 */
export function pointOutsideTasks(): void {
  if (running > 0) outside++;
}

/** How many points {@link pointOutsideTasks} has counted in this process so far. */
export function outsidePointCount(): number {
  return outside;
}

/** The task the calling code runs in, or undefined outside a schedule (cheap when idle). */
export function currentTask(): TaskContext | undefined {
  return running === 0 && abandoned === 0 ? undefined : storage?.getStore();
}

/** Marks an `explore` as running and returns the storage its tasks run in. */
export function enterExplore(): AsyncLocalStorage<TaskContext> {
  storage ??= new AsyncLocalStorage();
  running++;
  return storage;
}

/** Marks an `explore` as done; the last one out turns the storage off, unless tasks are held. */
export function leaveExplore(): void {
  running--;
  disableWhenIdle();
}

/**
 * Keeps the storage on for a task that a schedule abandoned while it was running (waiting on
 * I/O, a lock): when it reaches its next scheduling point, even after `explore` has returned,
 * the point must still know it, so that it stops there. Returns the release, to call once
 * the task has stopped at a point or settled; the last release turns the storage off.
 */
export function holdForAbandoned(): () => void {
  abandoned++;
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    abandoned--;
    disableWhenIdle();
  };
}

function disableWhenIdle(): void {
  if (running === 0 && abandoned === 0) storage?.disable();
}
