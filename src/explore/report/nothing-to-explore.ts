import { InterleaveError } from '../../errors.ts';
import type { PointCounts } from './point-tally.ts';

/** What the run was, for the message. */
export interface NothingSeen {
  readonly schedules: number;
  readonly taskCount: number;
  readonly strategy: string;
  readonly points: PointCounts;
}

/**
 * The error for an exploration in which no schedule had a choice beyond which task starts
 * first: every task ran from its start to its end in one step. Such a run cannot find a race
 * however many schedules it runs, so it must not resolve as if it had looked and found none.
 */
export function nothingToExplore(seen: NothingSeen): InterleaveError {
  const { schedules, taskCount, strategy, points } = seen;
  const lines = [
    `explore ran ${schedules} schedule${schedules === 1 ? '' : 's'} of ${taskCount} ` +
      `task${taskCount === 1 ? '' : 's'} (${strategy}) and had nothing to explore: no task ` +
      `reached a scheduling point after its start, so each task ran from its start to its end ` +
      `in one step and the only choice was which task starts first. A race inside the tasks ` +
      `cannot be found that way, so this is not a pass.`,
  ];
  if (points.outsideTasks > 0) {
    const n = points.outsideTasks;
    lines.push(
      `${n} scheduling point${n === 1 ? ' was' : 's were'} reached outside every task (in code ` +
        `that a server, a queue or a timer made before the tasks ran for them, out of their ` +
        `async context): ${n === 1 ? 'it' : 'they'} passed through uncontrolled. Put the ` +
        `point on a call that the tasks make themselves (a server's handler reached over a ` +
        `socket runs outside them; a queue started by a task's push runs inside it).`,
    );
  }
  lines.push(
    `To fix it, add scheduling points in the race window, where a task reads shared state ` +
      `and acts on it later: in \`points\`, yieldAt(target, 'method') on a method the tasks ` +
      `call that returns a promise (a query, a read, a write), with { callback: true } for a ` +
      `callback API (fs.stat(path, cb)) or { defer: true } for an emit, or ` +
      `\`await checkpoint('label')\` in the code itself between the read and the write. ` +
      `node_modules/interleave/docs/real-code.md says what explore sees of timers, callbacks, ` +
      `events, handlers and queues.`,
  );
  return new InterleaveError('ERR_NOTHING_TO_EXPLORE', lines.join('\n\n'));
}
