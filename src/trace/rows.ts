import { describeStep } from './cell.ts';
import type { TraceStep } from './types.ts';

/**
 * One row of the trace table: a step, or a run of steps in which one task passed the same
 * point again and again with the same outcome (a spin: `while (!ready) await checkpoint()`),
 * drawn once with its count (`spin × 57`).
 */
export interface Row {
  /** The run's first step: its task, its point, its marks. */
  readonly step: TraceStep;
  /** How many steps the row stands for (1 for a single step). */
  readonly count: number;
}

/** A task repeating its point at least this many times in a row is drawn as one row. */
export const SPIN_RUN = 3;

/** Steps compared for a spin are drawn this wide: wide enough to tell the values apart. */
const COMPARE_WIDTH = 120;

/**
 * The rows of `trace`: consecutive steps of one task from the same point, each parked at its
 * next point, neither preempted nor blocked, with the same cell text (the same values read and
 * written), become one row when there are {@link SPIN_RUN} or more of them. Shorter runs stay
 * one row per step, so a short trace is drawn step by step.
 */
export function rowsOf(trace: readonly TraceStep[]): Row[] {
  const rows: Row[] = [];
  let start = 0;
  while (start < trace.length) {
    const first = trace[start] as TraceStep;
    let end = start + 1;
    if (repeatable(first)) {
      const text = first.args === undefined ? undefined : describeStep(first, COMPARE_WIDTH);
      while (end < trace.length && repeats(first, trace[end] as TraceStep, text)) end++;
    }
    if (end - start >= SPIN_RUN) {
      rows.push({ step: first, count: end - start });
    } else {
      for (let i = start; i < end; i++) rows.push({ step: trace[i] as TraceStep, count: 1 });
    }
    start = end;
  }
  return rows;
}

/**
 * A switch of task that the table always tries to keep, with the rows around it, and marks
 * `»`: a preemption (the task before could have gone on). Other switches of task (the task
 * before finished, blocked, or was switched out by the fairness rule) are kept next.
 */
export function isPreemption(step: TraceStep): boolean {
  return step.preempted;
}

/** The number of the row's last step. */
export function lastStepOf(row: Row): number {
  return row.step.step + row.count - 1;
}

/** A step that a spin may repeat: it parked at its next point without blocking. */
function repeatable(step: TraceStep): boolean {
  return step.end === 'parked' && !step.blocked;
}

/** `next` repeats `first`: same task, same point, not a switch, drawn alike (`text`). */
function repeats(first: TraceStep, next: TraceStep, text: string | undefined): boolean {
  if (next.task !== first.task || next.label !== first.label || isPreemption(next)) return false;
  if (!repeatable(next) || (next.args === undefined) !== (text === undefined)) return false;
  return text === undefined || describeStep(next, COMPARE_WIDTH) === text;
}
