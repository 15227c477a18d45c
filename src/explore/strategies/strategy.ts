import type { Chooser, RunResult } from '../engine/run-types.ts';

/** Produces the schedules to try, one chooser per schedule, learning from each result. */
export interface Strategy {
  /**
   * The chooser for the next schedule, or undefined when the strategy is done: its space is
   * exhausted or its run budget spent (each strategy owns its budget).
   */
  next(): Chooser | undefined;
  /** Tells the strategy what the schedule of the last `next()` did. */
  done(result: RunResult): void;
  /** True once every schedule in the strategy's (bounded) space has been tried. */
  readonly exhausted: boolean;
  /** True for a replay: its one schedule is reported as replayed, and never shrunk. */
  readonly replaying?: boolean;
}

/** What a strategy is made from: the parts of `explore`'s spec that concern strategies. */
export interface StrategyOptions {
  /** How many tasks each schedule runs. */
  readonly taskCount: number;
  /** `runs` as the user gave it: undefined leaves the budget to the strategy's default. */
  readonly runs: number | undefined;
  readonly seed: number;
  readonly maxPreemptions: number;
  readonly maxDelays: number;
  readonly depth: number;
}

/** One entry of the strategy table (`registry.ts`): how to make the strategy. */
export interface StrategyDefinition {
  create(options: StrategyOptions): Strategy;
}

/** The run budget of pct, random and portfolio when `runs` is not given. */
export const DEFAULT_RUNS = 1000;

/** How many more schedules a strategy may hand out. */
export class RunBudget {
  #left: number;

  /** `runs` may be Infinity (exhaustive search without a bound). */
  constructor(runs: number) {
    this.#left = runs;
  }

  get left(): number {
    return this.#left;
  }

  /** Takes one run; false when none is left. */
  take(): boolean {
    if (this.#left <= 0) return false;
    this.#left--;
    return true;
  }
}
