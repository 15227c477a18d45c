import { choiceCost, defaultChoice } from '../engine/run-types.ts';
import { BoundedSearch } from './bounded-search.ts';
import type { StrategyDefinition } from './strategy.ts';

/**
 * Every schedule with at most `maxPreemptions` preemptions, fewest first (iterative context
 * bounding, as in CHESS). The free choice is the fairness rule's turn, else the current task
 * goes on, else the lowest-numbered task runs; a preemption costs 1, and so does letting a
 * task go on past a fairness point, so no schedule is left out of the space `exhausted`
 * claims (see `choiceCost`).
 */
export class ExhaustiveStrategy extends BoundedSearch {
  /** `runs` bounds the schedules (Infinity: until the bounded space is exhausted). */
  constructor(maxPreemptions: number, runs = Infinity) {
    super({ max: maxPreemptions, free: defaultChoice, cost: choiceCost }, runs);
  }
}

/** `exhaustive`: without `runs`, every schedule within `maxPreemptions`, however many. */
export const exhaustive: StrategyDefinition = {
  create: (options) => new ExhaustiveStrategy(options.maxPreemptions, options.runs),
};
