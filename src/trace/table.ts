import { cutText } from '../internal/cut.ts';
import { describeStep } from './cell.ts';
import type { TraceStep } from './types.ts';

/** A table stays within this many columns while each task's column can be this wide. */
const TABLE_WIDTH = 120;
/** Narrower columns cut too much: three tasks or more make the table wider than that. */
const MIN_CELL_WIDTH = 44;

/** The widest a task's cell may be: one or two tasks share a 120-column table. */
function cellWidth(tasks: number): number {
  return Math.max(MIN_CELL_WIDTH, Math.floor((TABLE_WIDTH - 7) / Math.max(1, tasks)) - 3);
}

/**
 * Draws a schedule side by side: one column per task, one row per step, the values read and
 * written at `yieldAt` points, and how each step ended. Preemptive switches are marked `»`.
 *
 * ```
 *  step │ task 0 (increment)   │ task 1 (increment)
 * ──────┼──────────────────────┼─────────────────────
 *     1 │ start                │
 *     2 │ getCount() → 0       │
 *   » 3 │                      │ start
 * ```
 */
export function formatTraceTable(
  trace: readonly TraceStep[],
  taskNames: readonly string[],
  maxRows = Infinity,
): string {
  const headers = [
    'step',
    ...taskNames.map((name, i) => (name ? `task ${i} (${name})` : `task ${i}`)),
  ];
  // A long trace shows its first third and last two thirds of `maxRows`.
  const head = Math.ceil(maxRows / 3);
  const shown: (TraceStep | undefined)[] =
    trace.length <= maxRows
      ? [...trace]
      : [...trace.slice(0, head), undefined, ...trace.slice(trace.length - (maxRows - head))];
  const width = cellWidth(taskNames.length);
  const rows = shown.map((step) => {
    const row = Array<string>(taskNames.length + 1).fill('');
    if (step === undefined) {
      row[0] = '…';
      row[1] = `(${trace.length - maxRows} steps not shown)`;
      return row;
    }
    row[0] = `${step.preempted ? '» ' : ''}${step.step}`;
    row[step.task + 1] = describeStep(step, width);
    return row;
  });
  const widths = headers.map((header, column) => {
    let longest = header.length;
    for (const row of rows) longest = Math.max(longest, (row[column] ?? '').length);
    return Math.min(width, longest);
  });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const text = cell.length > width ? `${cutText(cell, width - 1)}…` : cell;
        return column === 0 ? text.padStart(width) : text.padEnd(width);
      })
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('─┼─');
  return [line(headers), rule, ...rows.map(line)].map((text) => ` ${text}`).join('\n');
}
