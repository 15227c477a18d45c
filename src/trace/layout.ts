import { isPreemption, type Row } from './rows.ts';

/** What the table draws: the tasks that get a column, and the rows it shows. */
export interface Layout {
  /** The tasks drawn as columns, in task order. */
  readonly columns: readonly number[];
  /** By row: drawn, or counted on a "not shown" line with the hidden rows around it. */
  readonly shown: readonly boolean[];
}

/** How much of a trace a table may draw. */
export interface Budget {
  /** The most task columns; a schedule of more tasks shows those that matter. */
  readonly columns: number;
  /** The most lines below the header: rows plus "not shown" lines. */
  readonly lines: number;
  /** Tasks to show whatever happens: the task that threw, the tasks blocked in a deadlock. */
  readonly focus: readonly number[];
}

/**
 * Chooses what a table of `rows` among `tasks` tasks shows, within `budget`.
 *
 * Columns: every task when there are at most `budget.columns`; otherwise, in this order until
 * the columns are full, the task of the last row (where the schedule ended), the tasks that
 * failed, the focus tasks, the two tasks of each switch of task (the one switched from, the
 * one switched to), preemptions first, each from the last one back, then the tasks of the
 * last rows.
 *
 * Rows of tasks without a column are never drawn, only counted. The others are all drawn when
 * they fit, else, in this order while they fit: the last row, the rows that failed and each
 * focus task's last row; each preemption's row and the rows just before and after it, from the
 * last preemption back; each other switch's row and the row before it, from the last back;
 * then the rest, from the end back. What is left out is the stretches where the tasks ran on
 * without a switch, farthest from the failure first, each stretch one "not shown" line.
 */
export function layoutOf(rows: readonly Row[], tasks: number, budget: Budget): Layout {
  const columns = columnsOf(rows, tasks, budget);
  const drawn = new Set(columns);
  const candidate = rows.map((row) => drawn.has(row.step.task));
  if (linesOf(candidate) <= budget.lines) return { columns, shown: candidate };
  const shown = rows.map(() => false);
  let lines = rows.length > 0 ? 1 : 0;
  for (const i of rowOrder(rows, budget.focus)) {
    if (i < 0 || i >= rows.length || shown[i] === true || candidate[i] !== true) continue;
    const hiddenBefore = i > 0 && shown[i - 1] !== true;
    const hiddenAfter = i < rows.length - 1 && shown[i + 1] !== true;
    // A hidden stretch split in two costs a line more; one shown whole, a line less.
    const added = hiddenBefore && hiddenAfter ? 2 : hiddenBefore || hiddenAfter ? 1 : 0;
    if (lines + added > budget.lines) continue;
    shown[i] = true;
    lines += added;
  }
  return { columns, shown };
}

/** Lines drawn when the rows marked `shown` are: those rows and one per stretch of others. */
function linesOf(shown: readonly boolean[]): number {
  let lines = 0;
  for (const [i, s] of shown.entries()) if (s || i === 0 || shown[i - 1] === true) lines++;
  return lines;
}

/** A switch of task: the row's task is not the previous row's. */
function isSwitch(rows: readonly Row[], i: number): boolean {
  return i > 0 && rows[i]?.step.task !== rows[i - 1]?.step.task;
}

/** Indexes of the switches of task, preemptions first, each from the last one back. */
function switchesOf(rows: readonly Row[]): number[] {
  const preemptions: number[] = [];
  const others: number[] = [];
  for (let i = rows.length - 1; i > 0; i--) {
    const row = rows[i];
    if (row !== undefined && isPreemption(row.step)) preemptions.push(i);
    else if (isSwitch(rows, i)) others.push(i);
  }
  return [...preemptions, ...others];
}

function columnsOf(rows: readonly Row[], tasks: number, budget: Budget): number[] {
  if (tasks <= budget.columns) return Array.from({ length: tasks }, (_, i) => i);
  const chosen = new Set<number>();
  const add = (task: number | undefined) => {
    if (task !== undefined && task >= 0 && task < tasks && chosen.size < budget.columns) {
      chosen.add(task);
    }
  };
  add(rows.at(-1)?.step.task);
  for (const row of rows) if (row.step.end === 'failed') add(row.step.task);
  for (const task of budget.focus) add(task);
  for (const i of switchesOf(rows)) {
    add(rows[i - 1]?.step.task);
    add(rows[i]?.step.task);
  }
  for (let i = rows.length - 1; i >= 0 && chosen.size < budget.columns; i--) {
    add(rows[i]?.step.task);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** The rows in the order they are kept (see {@link layoutOf}); may repeat or run out of range. */
function* rowOrder(rows: readonly Row[], focus: readonly number[]): Generator<number> {
  const last = rows.length - 1;
  yield last;
  for (let i = last; i >= 0; i--) if (rows[i]?.step.end === 'failed') yield i;
  for (const task of focus) yield rows.findLastIndex((row) => row.step.task === task);
  for (const i of switchesOf(rows)) {
    yield i;
    yield i - 1;
    const row = rows[i];
    if (row !== undefined && isPreemption(row.step)) yield i + 1;
  }
  for (let i = last; i >= 0; i--) yield i;
}
