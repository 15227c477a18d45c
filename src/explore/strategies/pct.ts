import type { Chooser, RunResult } from '../engine/run-types.ts';
import { RandomSource } from './random-source.ts';
import {
  DEFAULT_RUNS,
  RunBudget,
  type Strategy,
  type StrategyDefinition,
  type StrategyOptions,
} from './strategy.ts';

/**
 * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010).
 * Each schedule gives the n tasks random distinct priorities d..d+n-1 and picks d-1 random
 * change points among the k steps a schedule is expected to take. The highest-priority task
 * that can run always runs; at the i-th change point the task that just ran drops to priority
 * i, below every initial one. A bug of depth d is found with probability at least 1/(n·k^(d-1))
 * per schedule. k is estimated from the longest schedule seen so far.
 */
export class PctStrategy implements Strategy {
  readonly exhausted = false;
  readonly #random: RandomSource;
  readonly #taskCount: number;
  readonly #depth: number;
  readonly #budget: RunBudget;
  #steps: number;

  /** `runs` bounds the schedules (Infinity when another strategy counts them). */
  constructor(options: StrategyOptions, runs: number, expectedSteps = options.taskCount * 2) {
    this.#random = new RandomSource(options.seed);
    this.#taskCount = options.taskCount;
    this.#depth = options.depth;
    this.#budget = new RunBudget(runs);
    this.#steps = Math.max(1, expectedSteps);
  }

  next(): Chooser | undefined {
    if (!this.#budget.take()) return undefined;
    const random = this.#random;
    const n = this.#taskCount;
    const d = this.#depth;
    const priorities = Array.from({ length: n }, (_, i) => d + i);
    for (let i = n - 1; i > 0; i--) {
      const j = random.below(i + 1);
      [priorities[i], priorities[j]] = [priorities[j] as number, priorities[i] as number];
    }
    // The timers' lane (`time: 'virtual'`, index n) starts below every task: time passes when
    // no task can run, or once a change point has dropped the running task below it.
    priorities[n] = d - 0.5;
    // changeAt.get(step) = the priority the task that ran step `step` drops to.
    const changeAt = new Map<number, number>();
    // A change after the last step would never apply: draw among the k - 1 that can.
    const points = Math.max(1, this.#steps - 1);
    for (let i = 1; i < d && changeAt.size < points; i++) {
      let step = 1 + random.below(points);
      while (changeAt.has(step)) step = 1 + random.below(points);
      changeAt.set(step, d - i);
    }
    // A task switched out by the fairness rule drops below every priority given so far (as a
    // yield does in PCT's variants for spinning): a polling task must not take the turn back
    // from the task it waits for.
    let lowest = 1;
    return {
      choose: (enabled, current, step, view) => {
        const lowered = changeAt.get(step);
        if (lowered !== undefined && current >= 0) priorities[current] = lowered;
        if (view.fairTurn >= 0) priorities[current] = --lowest;
        let best = enabled[0] as number;
        for (const task of enabled) {
          if ((priorities[task] as number) > (priorities[best] as number)) best = task;
        }
        return best;
      },
    };
  }

  done(result: RunResult): void {
    this.#steps = Math.max(this.#steps, result.trace.length);
  }
}

/** `pct`: `runs` schedules (default 1000), each with fresh random priorities. */
export const pct: StrategyDefinition = {
  create: (options) => new PctStrategy(options, options.runs ?? DEFAULT_RUNS),
};
