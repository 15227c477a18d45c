import type { Chooser } from '../engine/run-types.ts';
import { RandomSource } from './random-source.ts';
import { DEFAULT_RUNS, RunBudget, type Strategy, type StrategyDefinition } from './strategy.ts';

/** Each step goes to a task picked uniformly among those that can run (a random walk). */
export class RandomStrategy implements Strategy {
  readonly exhausted = false;
  readonly #random: RandomSource;
  readonly #budget: RunBudget;

  constructor(seed: number, runs: number) {
    this.#random = new RandomSource(seed);
    this.#budget = new RunBudget(runs);
  }

  next(): Chooser | undefined {
    if (!this.#budget.take()) return undefined;
    const random = this.#random;
    return {
      choose: (enabled, _current, _step, view) =>
        view.fairTurn >= 0 ? view.fairTurn : (enabled[random.below(enabled.length)] as number),
    };
  }

  done(): void {
    // A random walk learns nothing from earlier schedules.
  }
}

/** `random`: `runs` random walks (default 1000). */
export const random: StrategyDefinition = {
  create: (options) => new RandomStrategy(options.seed, options.runs ?? DEFAULT_RUNS),
};
