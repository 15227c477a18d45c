import { isPreemption, type Row } from './rows.ts';

/**
 * The text of a "not shown" line, standing for `rows` the table leaves out, in at most
 * `width` characters: how many steps, how many of them preemptions, how many steps each task
 * with a column ran, and how many the tasks without one ran, listing those tasks while there
 * is room, runs of them as ranges:
 * `412 steps not shown (1 preemption): task 0 ran 3, 97 other tasks ran 409: 1–49, 51–98`.
 */
export function notShownText(
  rows: readonly Row[],
  columns: ReadonlySet<number>,
  width: number,
): string {
  const byTask = new Map<number, number>();
  let steps = 0;
  let preemptions = 0;
  for (const row of rows) {
    steps += row.count;
    if (isPreemption(row.step)) preemptions++;
    byTask.set(row.step.task, (byTask.get(row.step.task) ?? 0) + row.count);
  }
  const tasks = [...byTask.keys()].sort((a, b) => a - b);
  const parts = tasks
    .filter((task) => columns.has(task))
    .map((task) => `task ${task} ran ${byTask.get(task) ?? 0}`);
  const others = tasks.filter((task) => !columns.has(task));
  const head =
    `${plural(steps, 'step')} not shown` +
    (preemptions > 0 ? ` (${plural(preemptions, 'preemption')})` : '');
  if (others.length === 0) return `${head}: ${parts.join(', ')}`;
  const ran = others.reduce((n, task) => n + (byTask.get(task) ?? 0), 0);
  if (others.length === 1) {
    parts.push(`other task ${others[0]} ran ${ran}`);
    return `${head}: ${parts.join(', ')}`;
  }
  const text = `${head}: ${[...parts, `${others.length} other tasks ran ${ran}`].join(', ')}: `;
  return text + listWithin(others, width - text.length);
}

/** The note above a table that shows some of the tasks as columns, in at most `width`. */
export function columnsNote(
  rows: readonly Row[],
  tasks: number,
  columns: ReadonlySet<number>,
): string {
  const others = new Set<number>();
  let steps = 0;
  for (const row of rows) {
    if (columns.has(row.step.task)) continue;
    others.add(row.step.task);
    steps += row.count;
  }
  const rest =
    others.size === 0
      ? `the other ${tasks - columns.size} took no step`
      : `${others.size} other${others.size === 1 ? '' : 's'} ran ${plural(steps, 'step')}, counted on the "not shown" lines`;
  return `${columns.size} of ${tasks} tasks shown (where the schedule ended, and around its last switches); ${rest}.`;
}

/**
 * Ascending `numbers` in at most `room` characters, runs of consecutive ones as ranges
 * (`0–49, 51, 53–60`): as many as fit, then `…`.
 */
function listWithin(numbers: readonly number[], room: number): string {
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === (numbers[j] ?? 0) + 1) j++;
    ranges.push(j === i ? `${numbers[i]}` : `${numbers[i]}–${numbers[j]}`);
    i = j + 1;
  }
  let text = '';
  for (const [i, range] of ranges.entries()) {
    const next = `${text}${i > 0 ? ', ' : ''}${range}`;
    const more = i < ranges.length - 1 ? ', …'.length : 0;
    if (next.length + more > room) return `${text}${i > 0 ? ', ' : ''}…`;
    text = next;
  }
  return text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
