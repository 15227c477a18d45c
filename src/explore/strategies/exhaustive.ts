import {
  type Chooser,
  choiceCost,
  type Decision,
  decisionCost,
  defaultChoice,
  type RunResult,
} from '../engine/run-types.ts';
import { RunBudget, type Strategy, type StrategyDefinition } from './strategy.ts';

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

/**
 * Every schedule with at most `maxPreemptions` preemptions, fewest first (iterative context
 * bounding, as in CHESS). A schedule is a prefix of forced choices followed by default ones
 * (the fairness rule's turn, else the current task goes on, else the lowest-numbered task
 * runs), so a default tail adds no preemption. Letting a task go on past a fairness point
 * costs like a preemption, so no schedule is left out of the space `exhausted` claims.
 *
 * A depth-first search per bound, without state: the path of the last schedule is kept, one
 * frame per step with the alternatives left to try there, so memory grows with the length
 * of a schedule, not with the number of choices not taken yet. The search for bound c walks
 * every schedule of cost at most c and hands out those of cost c as new; to reach them it
 * runs again the cheaper schedules they branch off (`rerunning` is then true), as CHESS does.
 */
export class ExhaustiveStrategy implements Strategy {
  readonly #max: number;
  readonly #budget: RunBudget;
  /** The bound being explored: the cost of the new schedules handed out now. */
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
  constructor(maxPreemptions: number, runs = Infinity) {
    this.#max = maxPreemptions;
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
    return {
      choose: (enabled, current, step, view) => {
        const forced = prefix[step];
        // A forced choice that cannot be followed (something outside the scheduler's control
        // changed the order) falls back to the default; the schedule is still a valid one.
        return forced !== undefined && enabled.includes(forced)
          ? forced
          : defaultChoice(enabled, current, view.fairTurn);
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
    let cost = from === 0 ? 0 : costAfter(path[from - 1] as Frame);
    for (let step = from; step < decisions.length; step++) {
      const decision = decisions[step] as Decision;
      path.push({ decision, chosen: decision.chosen, costBefore: cost, next: 0 });
      cost += decisionCost(decision);
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
          const cost = frame.costBefore + choiceCost(frame.decision, task);
          if (cost > this.#level) {
            if (cost <= this.#max) this.#deferred = true;
            continue;
          }
          frame.chosen = task;
          this.#rerunning = cost < this.#level;
          return path.map((f) => f.chosen);
        }
        path.pop();
      }
      if (this.#level >= this.#max || !this.#deferred) {
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

/** The cost of the path up to and including `frame`'s step. */
function costAfter(frame: Frame): number {
  return frame.costBefore + choiceCost(frame.decision, frame.chosen);
}

/** `exhaustive`: without `runs`, every schedule within `maxPreemptions`, however many. */
export const exhaustive: StrategyDefinition = {
  create: (options) => new ExhaustiveStrategy(options.maxPreemptions, options.runs),
};
