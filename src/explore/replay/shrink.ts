import { errorKind } from '../../internal/error-text.ts';
import {
  type Chooser,
  decisionCost,
  type RunFailure,
  type RunResult,
} from '../engine/run-types.ts';
import { followSegments } from './follow.ts';
import { type Segment, toSegments } from './token.ts';

/** How much shrinking may cost. */
export interface ShrinkBudget {
  /** The most replays. */
  readonly runs: number;
  /** No replay starts unless it is expected to end within this long of the start. */
  readonly ms: number;
  /** How long the failing schedule took: what a replay is expected to take at first. */
  readonly firstRunMs: number;
}

/** The segments a schedule actually ran. */
export function segmentsOf(result: RunResult): Segment[] {
  return toSegments(result.decisions.map((decision) => decision.chosen));
}

/** The number of preemptions a schedule made. */
export function preemptionsOf(result: RunResult): number {
  return result.decisions.filter((decision) => decision.preemption).length;
}

/**
 * What a schedule costs against a preemption bound: its preemptions, and the choices at
 * fairness points other than the fair turn (see `choiceCost`). Shrinking minimizes this.
 */
export function boundCostOf(result: RunResult): number {
  let cost = 0;
  for (const decision of result.decisions) cost += decisionCost(decision);
  return cost;
}

/** How many times a fairness point switched the task. */
export function fairSwitchesOf(result: RunResult): number {
  return result.decisions.filter((d) => d.fairTurn >= 0 && d.chosen !== d.current).length;
}

/**
 * Shrinks a failing schedule: replays edited versions of its segments (the tail cut off and
 * left to default choices, one segment removed, one segment a step shorter) and keeps an edit
 * when the schedule still fails the same way with fewer preemptions, then fewer task switches,
 * then fewer steps. Segments, unlike positions of single decisions, survive the removal of a
 * neighbour, which is what makes greedy removal work. Stops at a fixpoint or at the budget:
 * a replay is expected to take as long as the slowest schedule so far, so one that would end
 * past `budget.ms` is not started (a deadlock's replays, which wait out timeouts, often none).
 */
export async function shrinkSchedule(
  failing: RunResult,
  rerun: (chooser: Chooser) => Promise<RunResult>,
  budget: ShrinkBudget,
): Promise<{ result: RunResult; runs: number }> {
  const signature = failureSignature(failing.failure);
  const deadline = performance.now() + budget.ms;
  let slowest = budget.firstRunMs;
  let best = failing;
  let runs = 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (const candidate of candidates(segmentsOf(best))) {
      const started = performance.now();
      if (runs >= budget.runs || started + slowest > deadline) return { result: best, runs };
      runs++;
      const result = await rerun(followSegments(candidate));
      slowest = Math.max(slowest, performance.now() - started);
      if (failureSignature(result.failure) === signature && smaller(result, best)) {
        best = result;
        improved = true;
        break;
      }
    }
  }
  return { result: best, runs };
}

/**
 * Edits of a schedule, the boldest first: cut the tail, drop a segment, swap two neighbours
 * (a task runs its stretch earlier, which often saves a switch back), make a segment a step
 * longer or shorter.
 */
function* candidates(segments: readonly Segment[]): Generator<Segment[]> {
  for (let keep = 0; keep < segments.length; keep++) yield segments.slice(0, keep);
  for (let i = 0; i < segments.length; i++) yield segments.toSpliced(i, 1);
  for (let i = 0; i + 1 < segments.length; i++) {
    yield segments.toSpliced(i, 2, segments[i + 1] as Segment, segments[i] as Segment);
  }
  for (let i = 0; i < segments.length; i++) {
    const { task, steps } = segments[i] as Segment;
    yield segments.with(i, { task, steps: steps + 1 });
    if (steps > 1) yield segments.with(i, { task, steps: steps - 1 });
  }
}

function smaller(a: RunResult, b: RunResult): boolean {
  const ka = [boundCostOf(a), segmentsOf(a).length, a.trace.length];
  const kb = [boundCostOf(b), segmentsOf(b).length, b.trace.length];
  for (let i = 0; i < ka.length; i++) {
    if ((ka[i] as number) !== (kb[i] as number)) return (ka[i] as number) < (kb[i] as number);
  }
  return false;
}

/** Failures count as the same when the same task (or check) fails with the same kind of error. */
function failureSignature(failure: RunFailure | undefined): string {
  if (failure === undefined) return 'pass';
  switch (failure.kind) {
    case 'task':
      return `task ${failure.task}: ${errorKind(failure.error)}`;
    case 'check':
      return `check: ${errorKind(failure.error)}`;
    case 'deadlock':
      return 'deadlock';
    case 'livelock':
      return 'livelock';
    case 'abort':
      return 'abort';
  }
}
