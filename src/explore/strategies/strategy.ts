import type { Chooser, RunResult } from '../engine/run-types.ts';

/**
 * The strategy names `explore` accepts: `exhaustive` (every schedule within the preemption
 * bound), `pct`, `random`, or `portfolio` (exhaustive while small, then pct; the default).
 *
 * @example
 * ```ts
 * import { explore, type StrategyName } from 'interleave';
 *
 * const strategy: StrategyName = process.env.CI ? 'exhaustive' : 'portfolio';
 * await explore({ strategy, tasks: [async () => {}, async () => {}] });
 * ```
 */
export type StrategyName = 'exhaustive' | 'pct' | 'random' | 'portfolio';

/** Produces the schedules to try, one chooser per schedule, learning from each result. */
export interface Strategy {
  /** The chooser for the next schedule, or undefined when the strategy has nothing left. */
  next(): Chooser | undefined;
  /** Tells the strategy what the schedule of the last `next()` did. */
  done(result: RunResult): void;
  /** True once every schedule in the strategy's (bounded) space has been tried. */
  readonly exhausted: boolean;
}

/**
 * A small, fast, seeded generator (mulberry32): the same seed gives the same numbers on every
 * platform, which is what makes "same seed, same schedules" hold.
 */
export class RandomSource {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
