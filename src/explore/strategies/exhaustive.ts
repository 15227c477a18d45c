import { type Chooser, defaultChoice, type RunResult } from '../engine/run-types.ts';
import { RunBudget, type Strategy, type StrategyDefinition } from './strategy.ts';

/**
 * Every schedule with at most `maxPreemptions` preemptions, fewest first (iterative context
 * bounding, as in CHESS). A schedule is a prefix of forced choices followed by default ones
 * (the current task goes on; when it cannot, the lowest-numbered task runs), so a default tail
 * adds no preemption. After each schedule, every choice it did not take beyond its prefix
 * becomes a new prefix, queued by its preemption count; each queue is explored depth first.
 */
export class ExhaustiveStrategy implements Strategy {
  readonly #max: number;
  readonly #budget: RunBudget;
  /** queues[c] = prefixes whose schedules have exactly c preemptions. */
  readonly #queues: number[][][];
  /** The preemption count of the schedules being explored now (the queue taken from). */
  #level = 0;
  #pending: number[] | undefined;

  /** `runs` bounds the schedules (Infinity: until the bounded space is exhausted). */
  constructor(maxPreemptions: number, runs = Infinity) {
    this.#max = maxPreemptions;
    this.#budget = new RunBudget(runs);
    this.#queues = Array.from({ length: maxPreemptions + 1 }, () => []);
    this.#queues[0]?.push([]);
  }

  get exhausted(): boolean {
    return this.#pending === undefined && this.#queues.every((queue) => queue.length === 0);
  }

  next(): Chooser | undefined {
    while (this.#level <= this.#max && this.#queues[this.#level]?.length === 0) this.#level++;
    if (this.#budget.left === 0) return undefined;
    const prefix = this.#queues[this.#level]?.pop();
    if (prefix === undefined) return undefined;
    this.#budget.take();
    this.#pending = prefix;
    return {
      choose: (enabled, current, step) => {
        const forced = prefix[step];
        // A forced choice that cannot be followed (something outside the scheduler's control
        // changed the order) falls back to the default; the schedule is still a valid one.
        return forced !== undefined && enabled.includes(forced)
          ? forced
          : defaultChoice(enabled, current);
      },
    };
  }

  done(result: RunResult): void {
    const prefix = this.#pending;
    this.#pending = undefined;
    if (prefix === undefined) return;
    const taken = result.decisions.map((decision) => decision.chosen);
    let cost = 0;
    result.decisions.forEach((decision, step) => {
      if (step < prefix.length) {
        if (decision.preemption) cost++;
        return;
      }
      for (const task of decision.enabled) {
        if (task === decision.chosen) continue;
        const preempts = decision.enabled.includes(decision.current) && decision.current >= 0;
        const total = cost + (preempts ? 1 : 0);
        // A rerun that could not follow its prefix (something uncontrolled changed the order)
        // may count fewer preemptions than its queue: keep it at the level being explored.
        const level = Math.max(total, this.#level);
        if (total <= this.#max) this.#queues[level]?.push([...taken.slice(0, step), task]);
      }
    });
  }
}

/** `exhaustive`: without `runs`, every schedule within `maxPreemptions`, however many. */
export const exhaustive: StrategyDefinition = {
  create: (options) => new ExhaustiveStrategy(options.maxPreemptions, options.runs),
};
