import { cutText } from '../internal/cut.ts';
import { describeStep, fill } from './cell.ts';
import { layoutOf } from './layout.ts';
import { columnsNote, notShownText } from './not-shown.ts';
import { isPreemption, lastStepOf, type Row, rowsOf } from './rows.ts';
import type { TraceStep } from './types.ts';

/** A table of up to three tasks stays within this many columns, each task's this wide. */
const TABLE_WIDTH = 120;
/** Narrower columns cut too much: three tasks or more make the table wider than that. */
const MIN_CELL_WIDTH = 44;
/** No line of a table is longer than this, whatever the number of tasks. */
export const MAX_LINE = 160;
/** A cell may be this wide when some tasks have no column, if the line has room. */
const WIDE_CELL = 80;
/** A schedule of more tasks than this shows this many as columns: those that matter. */
export const MAX_COLUMNS = 4;

/** The widest a task's cell may be: one or two tasks share a 120-column table. */
function cellWidth(tasks: number): number {
  return Math.max(MIN_CELL_WIDTH, Math.floor((TABLE_WIDTH - 7) / Math.max(1, tasks)) - 3);
}

/** How much of a trace {@link formatTraceTable} draws. */
export interface TableOptions {
  /** The most lines below the header: rows plus "not shown" lines (default: all rows). */
  readonly maxRows?: number;
  /** Tasks that keep a column and their last row: the task that threw, the blocked ones. */
  readonly focus?: readonly number[];
  /**
   * Names of the lanes numbered after the tasks (`['timers']`: explore's timers' lane, index
   * `taskNames.length`), drawn as columns headed by their name.
   */
  readonly lanes?: readonly string[];
}

/**
 * Draws a schedule side by side: one column per task, one row per step, the values read and
 * written at `yieldAt` points, and how each step ended. Preemptive switches are marked `»`.
 * A task passing the same point again and again is one row (`12–68 │ spin × 57`).
 *
 * ```
 *  step │ task 0 (increment)   │ task 1 (increment)
 * ──────┼──────────────────────┼─────────────────────
 *     1 │ start                │
 *     2 │ getCount() → 0       │
 *   » 3 │                      │ start
 * ```
 *
 * A long schedule, or one of more than {@link MAX_COLUMNS} tasks, shows what matters near its
 * failure (see `layoutOf`) and one "not shown" line for each stretch it leaves out, so that no
 * line is longer than {@link MAX_LINE} and there are at most `maxRows` lines under the header.
 */
export function formatTraceTable(
  trace: readonly TraceStep[],
  taskNames: readonly string[],
  options: TableOptions = {},
): string {
  const all = rowsOf(trace);
  const lanes = options.lanes ?? [];
  const laneCount = taskNames.length + lanes.length;
  const layout = layoutOf(all, laneCount, {
    columns: MAX_COLUMNS,
    lines: options.maxRows ?? Infinity,
    focus: options.focus ?? [],
  });
  const columns = layout.columns;
  const columnOf = new Map(columns.map((task, column) => [task, column + 1]));
  const headers = [
    'step',
    ...columns.map((task) => {
      if (task >= taskNames.length) return lanes[task - taskNames.length] ?? `lane ${task}`;
      const name = taskNames[task];
      return name ? `task ${task} (${name})` : `task ${task}`;
    }),
  ];
  // The lines under the header: a row, or the rows a "not shown" line stands for.
  const lines: (Row | Row[])[] = [];
  for (const [i, row] of all.entries()) {
    const last = lines.at(-1);
    if (layout.shown[i] === true) lines.push(row);
    else if (Array.isArray(last)) last.push(row);
    else lines.push([row]);
  }
  // Each column is as wide as its widest cell, at most `cellWidth` (or WIDE_CELL when some
  // tasks have no column: the other columns are mostly narrow); when they do not all fit in
  // MAX_LINE, the widest give up room first and are drawn again in what they get.
  const full = columns.length < laneCount ? WIDE_CELL : cellWidth(columns.length);
  const drawAt = (widthOf: (column: number) => number) =>
    lines.map((line) => {
      if (Array.isArray(line)) return undefined;
      const row = Array<string>(columns.length + 1).fill('');
      row[0] = stepText(line);
      const column = columnOf.get(line.step.task) ?? 0;
      row[column] = cellText(line, widthOf(column));
      return row;
    });
  const unsqueezed = drawAt(() => full);
  const wants = headers.map((header, column) => {
    let longest = header.length;
    for (const row of unsqueezed) {
      longest = Math.max(longest, (row?.[column] ?? '').length);
    }
    return column === 0 ? longest : Math.min(full, longest);
  });
  const room = MAX_LINE - 1 - (wants[0] ?? 0) - 3 * columns.length;
  const widths = [wants[0] ?? 0, ...fill(wants.slice(1), room)];
  const squeezed = widths.some((width, column) => width < (wants[column] ?? 0));
  const cells = squeezed ? drawAt((column) => widths[column] ?? 0) : unsqueezed;
  const draw = (row: readonly string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const text = within(cell, width);
        return column === 0 ? text.padStart(width) : text.padEnd(width);
      })
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('─┼─');
  const shownTasks = new Set(columns);
  const notShown = (rows: readonly Row[]) => {
    const start = `${'…'.padStart(widths[0] ?? 0)} │ `;
    const room = MAX_LINE - 1 - start.length;
    const text = notShownText(rows, shownTasks, room);
    return start + within(text, room);
  };
  const table = [
    draw(headers),
    rule,
    ...lines.map((line, i) => (Array.isArray(line) ? notShown(line) : draw(cells[i] ?? []))),
  ];
  const note =
    columns.length < taskNames.length
      ? [within(columnsNote(all, taskNames.length, shownTasks), MAX_LINE - 1)]
      : [];
  return [...note, ...table].map((text) => ` ${text}`).join('\n');
}

/** The step column: the step's number, or a spin's first and last, `»` for a preemption. */
function stepText(row: Row): string {
  const steps = row.count > 1 ? `${row.step.step}–${lastStepOf(row)}` : `${row.step.step}`;
  return `${isPreemption(row.step) ? '» ' : ''}${steps}`;
}

/** A step's cell, or a spin's (`spin × 57`), in at most `width` characters. */
function cellText(row: Row, width: number): string {
  if (row.count === 1) return describeStep(row.step, width);
  const times = ` × ${row.count}`;
  const room = Math.max(1, width - times.length);
  const text = describeStep(row.step, room);
  return `${within(text, room)}${times}`;
}

/** `text` in at most `width` characters, cut with `…`. */
function within(text: string, width: number): string {
  return text.length > width ? `${cutText(text, width - 1)}…` : text;
}
