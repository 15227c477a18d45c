import type { Chooser, Decision, RunResult } from '../engine/run-types.ts';
import { RunBudget, type Strategy } from './strategy.ts';

/** One step of the schedule being explored: the choice made there and those left to try. */
interface Frame {
  readonly decision: Decision;
  /** The choice this path takes at the step (the default one, or an alternative). */
  chosen: number;
  /** The bound cost of the path's decisions before this step. */
  readonly costBefore: number;
  /** The index in `decision.enabled` of the next alternative to consider. */
  next: number;
}

/** What a bounded search counts, and what it does when it does not spend any of it. */
export interface Bound {
  /** The most a schedule may cost. */
  readonly max: number;
  /** The choice that costs nothing (the default schedule is made of these). */
  free(enabled: readonly number[], current: number, fairTurn: number): number;
  /** What choosing `task` at `decision`'s step costs (0 for the free choice). */
  cost(decision: Decision, task: number): number;
}

/**
 * Every schedule whose choices cost at most `bound.max`, cheapest first: the engine of
 * `exhaustive` (a cost is a preemption) and `delay-bounded` (a cost is a delay). A schedule
 * is a prefix of forced choices followed by free ones, so its cost is its prefix's.
 *
 * A depth-first search per cost level, without state: the path of the last schedule is
 * kept, one frame per step with the alternatives left to try there, so memory grows with
 * the length of a schedule, not with the number of choices not taken yet. The search of
 * level c walks every schedule of cost at most c and hands out those of cost c as new; to
 * reach them it runs again the cheaper schedules they branch off (`rerunning` is then true),
 * as CHESS does. A level whose search passed over no costlier choice is the last.
 */
export class BoundedSearch implements Strategy {
  readonly #bound: Bound;
  readonly #budget: RunBudget;
  /** The cost level being explored: the cost of the new schedules handed out now. */
  #level = 0;
  #path: Frame[] = [];
  /** The prefix of the schedule handed out last, until its result is in. */
  #pending: number[] | undefined = [];
  #done = false;
  /** This bound's search passed over a choice within a higher bound: there is a next bound. */
  #deferred = false;
  #rerunning = false;
  /** Schedules handed out again to reach costlier ones. */
  #reruns = 0;

  /** `runs` bounds the schedules (Infinity: until the bounded space is exhausted). */
  constructor(bound: Bound, runs = Infinity) {
    this.#bound = bound;
    this.#budget = new RunBudget(runs);
  }

  get exhausted(): boolean {
    return this.#done;
  }

  /** True when the schedule handed out last was handed out before (at a lower bound). */
  get rerunning(): boolean {
    return this.#rerunning;
  }

  /** How many steps the search keeps a frame for: the length of the last schedule's path. */
  get frames(): number {
    return this.#path.length;
  }

  /** How many schedules were handed out again to reach costlier ones. */
  get reruns(): number {
    return this.#reruns;
  }

  next(): Chooser | undefined {
    if (this.#done || this.#budget.left === 0) return undefined;
    const prefix = this.#pending ?? this.#backtrack();
    if (prefix === undefined) return undefined;
    this.#budget.take();
    this.#pending = prefix;
    if (this.#rerunning) this.#reruns++;
    const bound = this.#bound;
    return {
      choose: (enabled, current, step, view) => {
        const forced = prefix[step];
        // A forced choice that cannot be followed (something outside the scheduler's control
        // changed the order) falls back to the default; the schedule is still a valid one.
        return forced !== undefined && enabled.includes(forced)
          ? forced
          : bound.free(enabled, current, view.fairTurn);
      },
    };
  }

  done(result: RunResult): void {
    const prefix = this.#pending;
    this.#pending = undefined;
    if (prefix === undefined) return;
    const path = this.#path;
    const decisions = result.decisions;
    // The frames before the prefix's end are this path's; a rerun that could not follow them
    // (uncontrolled order) continues from where it went its own way.
    let from = Math.min(prefix.length, path.length);
    for (let step = 0; step < from; step++) {
      if (decisions[step]?.chosen !== (path[step] as Frame).chosen) from = step;
    }
    path.length = from;
    let cost = 0;
    if (from > 0) {
      const last = path[from - 1] as Frame;
      cost = last.costBefore + this.#bound.cost(last.decision, last.chosen);
    }
    for (let step = from; step < decisions.length; step++) {
      const decision = decisions[step] as Decision;
      path.push({ decision, chosen: decision.chosen, costBefore: cost, next: 0 });
      cost += this.#bound.cost(decision, decision.chosen);
    }
  }

  /**
   * The prefix of the next schedule in depth-first order within the current bound, moving to
   * the next bound when this one is done; undefined when every bound is.
   */
  #backtrack(): number[] | undefined {
    for (;;) {
      const path = this.#path;
      while (path.length > 0) {
        const frame = path.at(-1) as Frame;
        const enabled = frame.decision.enabled;
        while (frame.next < enabled.length) {
          const task = enabled[frame.next++] as number;
          if (task === frame.decision.chosen) continue;
          const cost = frame.costBefore + this.#bound.cost(frame.decision, task);
          if (cost > this.#level) {
            if (cost <= this.#bound.max) this.#deferred = true;
            continue;
          }
          frame.chosen = task;
          this.#rerunning = cost < this.#level;
          return path.map((f) => f.chosen);
        }
        path.pop();
      }
      if (this.#level >= this.#bound.max || !this.#deferred) {
        this.#done = true;
        return undefined;
      }
      // The next bound starts again from the first schedule.
      this.#level++;
      this.#deferred = false;
      this.#rerunning = true;
      return [];
    }
  }
}
