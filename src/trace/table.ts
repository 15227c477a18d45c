import { inspect } from 'node:util';
import type { TraceStep } from './types.ts';

const CELL_WIDTH = 44;

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
  const rows = shown.map((step) => {
    const row = Array<string>(taskNames.length + 1).fill('');
    if (step === undefined) {
      row[0] = '…';
      row[1] = `(${trace.length - maxRows} steps not shown)`;
      return row;
    }
    row[0] = `${step.preempted ? '» ' : ''}${step.step}`;
    row[step.task + 1] = describeStep(step);
    return row;
  });
  const widths = headers.map((header, column) => {
    let width = header.length;
    for (const row of rows) width = Math.max(width, (row[column] ?? '').length);
    return Math.min(CELL_WIDTH, width);
  });
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        const text = cell.length > width ? `${cell.slice(0, width - 1)}…` : cell;
        return column === 0 ? text.padStart(width) : text.padEnd(width);
      })
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('─┼─');
  return [line(headers), rule, ...rows.map(line)].map((text) => ` ${text}`).join('\n');
}

/** The text of one step's cell: the point (with its call's values) and how the step ended. */
export function describeStep(step: TraceStep): string {
  let text = step.label;
  if (step.args !== undefined) {
    text = `${step.label}(${step.args.map(formatValue).join(', ')})`;
    if ('error' in step) text += ` ✗ ${formatValue(step.error)}`;
    else if ('result' in step && step.result !== undefined)
      text += ` → ${formatValue(step.result)}`;
  }
  if (step.blocked) text += ' [blocked]';
  if (step.end === 'finished') {
    text += step.returned === undefined ? ' ✓ done' : ` ✓ returned ${formatValue(step.returned)}`;
  } else if (step.end === 'failed') {
    text += ` ✗ threw ${formatValue(step.thrown)}`;
  }
  return text;
}

/** A value as short, single-line text for a table cell. */
export function formatValue(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const first = value.message.split('\n', 1)[0] ?? '';
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${first}`;
  }
  const text = inspect(value, {
    depth: 1,
    breakLength: Infinity,
    maxArrayLength: 5,
    maxStringLength: 30,
  });
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
