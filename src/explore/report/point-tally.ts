import type { TraceStep } from '../../trace/types.ts';
import { outsidePointCount } from '../engine/task-context.ts';

/** What an exploration saw of its scheduling points, as `ExploreReport.points` gives it. */
export interface PointCounts {
  /** By task: the points it was let past after its start, on average per schedule. */
  readonly byTask: number[];
  /** Points reached outside every task while the exploration ran, in total. */
  readonly outsideTasks: number;
}

/**
 * Counts, schedule by schedule, the scheduling points each task was let past after its
 * `start`: what tells an exploration that had choices from one where every schedule was the
 * same (no task ever paused after it started), which must not pass as green.
 */
export class PointTally {
  readonly #sums: number[];
  readonly #outsideAtStart = outsidePointCount();
  #schedules = 0;
  /** Virtual timers fired, over all schedules. */
  #timers = 0;

  constructor(taskCount: number) {
    this.#sums = new Array<number>(taskCount).fill(0);
  }

  /** Adds one schedule's trace (each task's first step is its start, not counted). */
  add(trace: readonly TraceStep[]): void {
    this.#schedules++;
    const sums = this.#sums;
    const started = new Uint8Array(sums.length);
    for (const step of trace) {
      if (step.task >= sums.length) {
        // A virtual timer fired (the timers' lane): a choice, not a point of a task.
        this.#timers++;
        continue;
      }
      if (started[step.task] === 0) started[step.task] = 1;
      else sums[step.task] = (sums[step.task] ?? 0) + 1;
    }
  }

  /** True when some task was let past a point after its start, or a timer fired, somewhere. */
  get sawChoices(): boolean {
    return this.#timers > 0 || this.#sums.some((sum) => sum > 0);
  }

  /** Whether a virtual timer fired in some schedule: the timers' lane was interleaved too. */
  get timersFired(): boolean {
    return this.#timers > 0;
  }

  /** Points outside every task since this tally began. */
  get outsideTasks(): number {
    return outsidePointCount() - this.#outsideAtStart;
  }

  /** The counts to report: per task the mean per schedule (two decimals), outside in total. */
  counts(): PointCounts {
    const n = Math.max(1, this.#schedules);
    return {
      byTask: this.#sums.map((sum) => Math.round((sum / n) * 100) / 100),
      outsideTasks: this.outsideTasks,
    };
  }
}
