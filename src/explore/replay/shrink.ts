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

/** A segment's length that means "until the task cannot go on" (the follower cuts it short). */
const RUN_ON = 2 ** 30;

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
 * Shrinks a failing schedule: replays edited versions of its segments (see the edit families
 * below) and keeps an edit when the schedule still fails the same way with fewer preemptions,
 * then fewer task switches, then fewer steps. Segments, unlike positions of single decisions,
 * survive the removal of a neighbour, which is what makes greedy removal work. The families
 * are tried in turn, each again on the better schedule after an improvement, until a sweep
 * of all of them improves nothing; an edit already tried is not replayed again.
 *
 * Stops at that fixpoint or at the budget: a replay is expected to take as long as the
 * replays so far took on average (at first, the failing schedule's own time), so one that
 * would end past `budget.ms` is not started (a deadlock's schedule, which waits out its
 * timeouts, usually gets none). An average rather than the slowest replay: one garbage
 * collection or a cold first replay must not end shrinking early.
 */
export async function shrinkSchedule(
  failing: RunResult,
  rerun: (chooser: Chooser) => Promise<RunResult>,
  budget: ShrinkBudget,
): Promise<{ result: RunResult; runs: number }> {
  const signature = failureSignature(failing.failure);
  const deadline = performance.now() + budget.ms;
  let expected = budget.firstRunMs;
  let spent = 0;
  let best = failing;
  let runs = 0;
  const tried = new Set<string>();
  /** Replays `candidate` unless tried before; true if it is better. Undefined: out of budget. */
  const attempt = async (candidate: Segment[]): Promise<boolean | undefined> => {
    const key = candidate.map((s) => `${s.task}x${s.steps}`).join('-');
    if (tried.has(key)) return false;
    tried.add(key);
    const started = performance.now();
    if (runs >= budget.runs || started + expected > deadline) return undefined;
    runs++;
    const result = await rerun(followSegments(candidate));
    spent += performance.now() - started;
    expected = spent / runs;
    if (failureSignature(result.failure) !== signature || !smaller(result, best)) return false;
    best = result;
    return true;
  };
  let improved = true;
  while (improved) {
    improved = false;
    for (const family of EDITS) {
      let again = true;
      while (again) {
        again = false;
        for (const candidate of family(segmentsOf(best))) {
          const better = await attempt(candidate);
          if (better === undefined) return { result: best, runs };
          if (better) {
            improved = again = true;
            break;
          }
        }
      }
    }
  }
  return { result: best, runs };
}

type Edits = (segments: readonly Segment[]) => Generator<Segment[]>;

/**
 * The edits of a schedule, boldest first. Drop runs of neighbouring segments, half of them
 * first, then quarters, down to single ones (as delta debugging does: a long schedule loses
 * its irrelevant stretches in a few replays, not one per segment; dropping the last ones
 * leaves the tail to default choices). Move a segment to just after the next segment of its
 * task (the two merge: one switch and often a preemption fewer) or to the end. Swap two
 * neighbours (a task runs its stretch earlier, which often saves a switch back). Let a
 * segment's task run on until it finishes or waits (a stretch no single step longer
 * reaches). Halve a segment, or make it a step longer or shorter.
 */
const EDITS: readonly Edits[] = [
  function* drop(segments) {
    const n = segments.length;
    if (n > 0) yield [];
    for (let size = Math.floor(n / 2); size >= 1; size = Math.floor(size / 2)) {
      for (let from = n - size; from >= 0; from -= size) yield segments.toSpliced(from, size);
    }
  },
  function* move(segments) {
    const n = segments.length;
    for (let i = 0; i < n; i++) {
      const segment = segments[i] as Segment;
      const next = segments.findIndex((s, j) => j > i + 1 && s.task === segment.task);
      if (next > 0) yield segments.toSpliced(next + 1, 0, segment).toSpliced(i, 1);
      if (i + 1 < n) yield [...segments.toSpliced(i, 1), segment];
    }
  },
  function* swap(segments) {
    for (let i = 0; i + 1 < segments.length; i++) {
      yield segments.toSpliced(i, 2, segments[i + 1] as Segment, segments[i] as Segment);
    }
  },
  function* runOn(segments) {
    for (let i = 0; i + 1 < segments.length; i++) {
      yield segments.with(i, { task: (segments[i] as Segment).task, steps: RUN_ON });
    }
  },
  function* resize(segments) {
    for (let i = 0; i < segments.length; i++) {
      const { task, steps } = segments[i] as Segment;
      if (steps > 3) yield segments.with(i, { task, steps: Math.floor(steps / 2) });
      yield segments.with(i, { task, steps: steps + 1 });
      if (steps > 1) yield segments.with(i, { task, steps: steps - 1 });
    }
  },
];

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
