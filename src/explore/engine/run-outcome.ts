import type { TraceStep } from '../../trace/types.ts';
import type { Decision, RunResult, SpinSummary } from './run-types.ts';

/**
 * What one schedule produces besides its trace and decisions: each task's result, why it
 * failed, the errors thrown after that, and the tasks abandoned, gathered in the `RunResult`
 * the schedule resolves with. Plain functions on that result: a schedule writes it in a few
 * places, and an object around it would be one more allocation per schedule.
 */
export function newRunResult(
  trace: readonly TraceStep[],
  decisions: readonly Decision[],
): RunResult {
  return {
    failure: undefined,
    results: [],
    trace,
    decisions,
    abandoned: [],
    lateErrors: [],
    blockedSettled: false,
    abandonedAtOnce: false,
  };
}

/**
 * The function of `task` returned `value` (`ok`) or threw it. A throw fails the schedule
 * (unless it has failed already), or, once the schedule is `released` after a failure, is a
 * late error.
 */
export function taskSettled(
  result: RunResult,
  task: number,
  ok: boolean,
  value: unknown,
  released: boolean,
): void {
  if (ok) result.results[task] = value;
  else if (released) result.lateErrors.push({ task, error: value });
  else result.failure ??= { kind: 'task', task, error: value };
}

/**
 * Settling after a failure is over and `tasks` never settled. A deadlock whose blocked tasks
 * all settled without error once released may have been slow rather than stuck.
 */
export function abandon(result: RunResult, tasks: readonly number[]): void {
  result.abandoned.push(...tasks);
  if (result.failure?.kind !== 'deadlock') return;
  const blocked = result.failure.blocked;
  result.blockedSettled =
    result.abandoned.length === 0 && !result.lateErrors.some((late) => blocked.includes(late.task));
}

/** How many of a livelocked schedule's last steps its summary looks at. */
const SPIN_WINDOW = 256;

/**
 * Who kept the schedule going in its last steps: each task that took one of them, with the
 * point it passed most often, most steps first. What a livelock report names as having spun.
 */
export function spinSummary(trace: readonly TraceStep[]): SpinSummary[] {
  const byTask = new Map<number, { steps: number; labels: Map<string, number> }>();
  for (let i = Math.max(0, trace.length - SPIN_WINDOW); i < trace.length; i++) {
    const { task, label } = trace[i] as TraceStep;
    let entry = byTask.get(task);
    if (entry === undefined) byTask.set(task, (entry = { steps: 0, labels: new Map() }));
    entry.steps++;
    entry.labels.set(label, (entry.labels.get(label) ?? 0) + 1);
  }
  const summary: SpinSummary[] = [];
  for (const [task, { steps, labels }] of byTask) {
    let label = '';
    let most = 0;
    for (const [name, count] of labels) {
      if (count > most) [label, most] = [name, count];
    }
    summary.push({ task, label, steps });
  }
  return summary.sort((a, b) => b.steps - a.steps || a.task - b.task);
}
