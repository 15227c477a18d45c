/**
 * What `runInParallel` and `runInWorkers` say about a task still running when `taskTimeout`
 * ran out (`ERR_TASK_TIMEOUT`): which task, where it was (the last barrier it passed, or the
 * one it waited at), every task's status, and what to look for.
 */
import { InterleaveError } from '../errors.ts';
import { formatLabel, formatStatuses, type TaskStatus } from './task-status.ts';

/** The label of the last barrier a task passed, if it passed one and the label is known. */
export type PassedLabel = { readonly label: string | undefined } | undefined;

/** Where a run stood when its task clock ran out. */
interface TimeoutScene {
  /** Every task's status, in task order, taken before any task was marked timed out. */
  readonly tasks: readonly TaskStatus[];
  /** The label of the last barrier each task passed (see {@link PassedLabel}). */
  readonly passedLabels: readonly PassedLabel[];
  /** The run's `taskTimeout`, in ms. */
  readonly taskTimeout: number;
  /** Worker threads (terminated) or async tasks (given up on). */
  readonly threads: boolean;
}

/** What a barrier tells of its tasks: the async one and the shared-memory one alike. */
export interface BarrierView {
  statuses(): readonly TaskStatus[];
  passedLabel(index: number): PassedLabel;
  fail(index: number, error: unknown): void;
}

/**
 * The errors of the tasks `pending` (named by `names`) when `taskTimeout` ran out, all worded
 * from one picture of the barrier taken first; then each is failed on the barrier, which wakes
 * whoever waits there (a timed-out task among them, so that it can unwind).
 */
export function timeOutTasks(
  pending: readonly number[],
  barrier: BarrierView,
  names: readonly (string | undefined)[],
  options: { readonly taskTimeout: number; readonly threads: boolean },
): InterleaveError[] {
  const scene: TimeoutScene = {
    ...options,
    tasks: barrier.statuses(),
    passedLabels: names.map((_, index) => barrier.passedLabel(index)),
  };
  const errors = pending.map((index) => taskTimeoutError(index, names[index], scene));
  pending.forEach((index, i) => {
    barrier.fail(index, errors[i]);
  });
  return errors;
}

/** The error of task `index` (named `name`, if it has a name) that outran `taskTimeout`. */
function taskTimeoutError(
  index: number,
  name: string | undefined,
  scene: TimeoutScene,
): InterleaveError {
  const { taskTimeout, threads } = scene;
  const task = `Task ${index}${name ? ` (\`${name}\`)` : ''}`;
  const stopped = threads
    ? 'so its worker thread was terminated'
    : 'so the run stopped waiting for it (async code cannot be stopped from outside) and aborted `runner.signal`';
  const status = scene.tasks[index] ?? { state: 'running', passed: 0 };
  const where = whereText(status, scene.passedLabels[index]);
  const lookFor = threads
    ? 'a wait that never ends (Atomics.wait without a timeout, a promise that never settles) or an endless loop'
    : 'a promise that never settles';
  return new InterleaveError(
    'ERR_TASK_TIMEOUT',
    `${task} was still running ${taskTimeout} ms after it started, ${stopped}: ${where}.\n` +
      `Tasks:\n${formatStatuses(scene.tasks)}\n` +
      `Every task must settle within \`taskTimeout\` (now ${taskTimeout} ms) of its start: look for ${lookFor}. If the task is only slow, raise \`taskTimeout\` in the options of the run (Infinity for no bound).`,
  );
}

/** Where a task was: `it passed barrier 2 "locked" and had not reached another`. */
function whereText(status: TaskStatus, passedLabel: PassedLabel): string {
  const { passed } = status;
  switch (status.state) {
    case 'waiting':
      return `it was waiting at barrier ${passed + 1} ${formatLabel(status.label)}`;
    case 'running': {
      if (passed === 0) return 'it had reached no barrier';
      const label = passedLabel === undefined ? '' : ` ${formatLabel(passedLabel.label)}`;
      return `it passed barrier ${passed}${label} and had not reached another`;
    }
    // A thread that returned or threw just before the deadline, whose report was still on
    // its way to the main thread.
    case 'finished':
      return 'it had returned, but its result had not arrived';
    case 'failed':
      return `it had failed (${status.error}), but its error had not arrived`;
  }
}
