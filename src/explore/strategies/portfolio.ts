import type { Chooser, RunResult } from '../engine/run-types.ts';
import type { ExhaustiveStrategy } from './exhaustive.ts';
import type { PctStrategy } from './pct.ts';
import type { Strategy } from './strategy.ts';

/**
 * Exhaustive while the bounded space is small, then PCT: the first `budget` schedules go to
 * the exhaustive search; if it has not finished by then, PCT takes the remaining runs. PCT's
 * step estimate starts from the longest schedule the exhaustive phase saw.
 */
export class PortfolioStrategy implements Strategy {
  readonly #exhaustive: ExhaustiveStrategy;
  readonly #pct: PctStrategy;
  #left: number;
  /** Which strategy makes the schedules now. */
  #phase: 'exhaustive' | 'pct' = 'exhaustive';

  constructor(exhaustive: ExhaustiveStrategy, pct: PctStrategy, budget: number) {
    this.#exhaustive = exhaustive;
    this.#pct = pct;
    this.#left = budget;
  }

  get exhausted(): boolean {
    return this.#exhaustive.exhausted;
  }

  next(): Chooser | undefined {
    if (this.#phase === 'exhaustive') {
      const chooser = this.#left > 0 ? this.#exhaustive.next() : undefined;
      if (chooser !== undefined) {
        this.#left--;
        return chooser;
      }
      if (this.#exhaustive.exhausted) return undefined;
      this.#phase = 'pct';
    }
    return this.#pct.next();
  }

  done(result: RunResult): void {
    if (this.#phase === 'exhaustive') this.#exhaustive.done(result);
    this.#pct.done(result);
  }
}
