import type { Chooser, Decision, SchedulerView } from './run-types.ts';

/** After this many steps in a row of one task, the others get a turn (not a preemption). */
const FAIRNESS_STREAK = 64;

/**
 * The decisions of one schedule: asks the chooser which task runs the next step, after the
 * fairness rule, and keeps each decision in order. The list is frozen when the schedule ends;
 * the decisions themselves are not (`Object.freeze` on each and on its `enabled` cost about a
 * third of the throughput of a schedule of checkpoints), their type is read-only.
 */
export class Decider {
  readonly #chooser: Chooser;
  readonly #decisions: Decision[] = [];
  #current = -1;
  /** How many steps in a row the current task has run. */
  #streak = 0;

  constructor(chooser: Chooser) {
    this.#chooser = chooser;
  }

  /** Every decision so far; frozen once {@link finish} has run. */
  get decisions(): readonly Decision[] {
    return this.#decisions;
  }

  /** The task chosen last: the one running the current step (-1 before the first). */
  get current(): number {
    return this.#current;
  }

  /**
   * Decides who runs step `step` (0-based) among `enabled` (ascending, never empty). Throws
   * what the chooser throws, deciding nothing.
   */
  decide(enabled: number[], step: number, view: SchedulerView): Decision {
    const current = this.#current;
    if (this.#streak >= FAIRNESS_STREAK && enabled.length > 1 && enabled.includes(current)) {
      // A task spinning on a scheduling point (a polling loop) would run forever under the
      // default choice: the others get a turn, as if it were blocked.
      enabled = enabled.filter((task) => task !== current);
    }
    const chosen = this.#chooser.choose(enabled, current, step, view);
    const preemption = current >= 0 && chosen !== current && enabled.includes(current);
    const decision: Decision = { enabled, current, chosen, preemption };
    this.#decisions.push(decision);
    this.#streak = chosen === current ? this.#streak + 1 : 1;
    this.#current = chosen;
    return decision;
  }

  /** The schedule has ended: no more decisions. */
  finish(): void {
    Object.freeze(this.#decisions);
  }
}
