import type { Chooser, RunResult } from '../engine/run-types.ts';
import { ExhaustiveStrategy } from './exhaustive.ts';
import { PctStrategy } from './pct.ts';
import {
  DEFAULT_RUNS,
  RunBudget,
  type Strategy,
  type StrategyDefinition,
  type StrategyOptions,
} from './strategy.ts';

/**
 * Exhaustive while the bounded space is small, then PCT: the first half of the run budget goes
 * to the exhaustive search; if it has not finished by then, PCT takes the remaining runs. PCT's
 * step estimate starts from the longest schedule the exhaustive phase saw.
 */
export class PortfolioStrategy implements Strategy {
  readonly #exhaustive: ExhaustiveStrategy;
  readonly #pct: PctStrategy;
  readonly #budget: RunBudget;
  /** Runs left for the exhaustive phase. */
  #exhaustiveLeft: number;
  /** Which strategy makes the schedules now. */
  #phase: 'exhaustive' | 'pct' = 'exhaustive';

  constructor(options: StrategyOptions, runs: number) {
    this.#exhaustive = new ExhaustiveStrategy(options.maxPreemptions);
    this.#pct = new PctStrategy(options, Infinity);
    this.#budget = new RunBudget(runs);
    this.#exhaustiveLeft = Math.ceil(runs / 2);
  }

  get exhausted(): boolean {
    return this.#exhaustive.exhausted;
  }

  next(): Chooser | undefined {
    if (this.#budget.left === 0) return undefined;
    let chooser: Chooser | undefined;
    if (this.#phase === 'exhaustive') {
      chooser = this.#exhaustiveLeft > 0 ? this.#exhaustive.next() : undefined;
      if (chooser !== undefined) this.#exhaustiveLeft--;
      else if (this.#exhaustive.exhausted) return undefined;
      else this.#phase = 'pct';
    }
    chooser ??= this.#pct.next();
    this.#budget.take();
    return chooser;
  }

  done(result: RunResult): void {
    if (this.#phase === 'exhaustive') this.#exhaustive.done(result);
    this.#pct.done(result);
  }
}

/** `portfolio` (the default): `runs` schedules (default 1000), half exhaustive, then pct. */
export const portfolio: StrategyDefinition = {
  create: (options) => new PortfolioStrategy(options, options.runs ?? DEFAULT_RUNS),
};
