import type { Chooser, RunResult } from '../engine/run-types.ts';
import { ExhaustiveStrategy } from './exhaustive.ts';
import { PctStrategy } from './pct.ts';
import { estimateSpace } from './space-estimate.ts';
import {
  DEFAULT_RUNS,
  RunBudget,
  type Strategy,
  type StrategyDefinition,
  type StrategyOptions,
} from './strategy.ts';

/**
 * Exhaustive when the bounded space fits the budget, else PCT. The first schedule is the
 * exhaustive search's first; from it the size of the space within `maxPreemptions` is
 * estimated (`estimateSpace`). If it fits in half the run budget, the exhaustive search goes
 * on for up to that half, and PCT takes the rest if it has not finished by then; if it does
 * not fit (many tasks: every order of them is a schedule), PCT takes every run left. PCT's
 * step estimate starts from the longest schedule seen.
 */
export class PortfolioStrategy implements Strategy {
  readonly #exhaustive: ExhaustiveStrategy;
  readonly #pct: PctStrategy;
  readonly #budget: RunBudget;
  readonly #bound: number;
  /** Runs left for the exhaustive phase. */
  #exhaustiveLeft: number;
  /** Which strategy makes the schedules now; `first` is exhaustive's first schedule. */
  #phase: 'first' | 'exhaustive' | 'pct' = 'first';

  constructor(options: StrategyOptions, runs: number) {
    this.#exhaustive = new ExhaustiveStrategy(options.maxPreemptions);
    this.#pct = new PctStrategy(options, Infinity);
    this.#budget = new RunBudget(runs);
    this.#bound = options.maxPreemptions;
    this.#exhaustiveLeft = Math.ceil(runs / 2);
  }

  get exhausted(): boolean {
    return this.#exhaustive.exhausted;
  }

  next(): Chooser | undefined {
    if (this.#budget.left === 0) return undefined;
    let chooser: Chooser | undefined;
    if (this.#phase !== 'pct') {
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
    if (this.#phase !== 'pct') this.#exhaustive.done(result);
    if (this.#phase === 'first') {
      // The estimate undercounts by up to about half: it must fit twice.
      const fits = 2 * estimateSpace(result.decisions, this.#bound) <= this.#exhaustiveLeft + 1;
      this.#phase = fits ? 'exhaustive' : 'pct';
    }
    this.#pct.done(result);
  }
}

/**
 * `portfolio` (the default): `runs` schedules (default 1000): exhaustive when the bounded
 * space fits half of them, else pct.
 */
export const portfolio: StrategyDefinition = {
  create: (options) => new PortfolioStrategy(options, options.runs ?? DEFAULT_RUNS),
};
