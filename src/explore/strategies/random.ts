import type { Chooser } from '../engine/run-types.ts';
import { RandomSource, type Strategy } from './strategy.ts';

/** Each step goes to a task picked uniformly among those that can run (a random walk). */
export class RandomStrategy implements Strategy {
  readonly exhausted = false;
  readonly #random: RandomSource;

  constructor(seed: number) {
    this.#random = new RandomSource(seed);
  }

  next(): Chooser {
    const random = this.#random;
    return { choose: (enabled) => enabled[random.below(enabled.length)] as number };
  }

  done(): void {
    // A random walk learns nothing from earlier schedules.
  }
}
