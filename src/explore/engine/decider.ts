import type { Chooser, Decision, SchedulerView } from './run-types.ts';

/**
 * After this many steps in a row of one task while another could run, the next step is a
 * fairness point: the fair choice is the task that has waited longest (see
 * `SchedulerView.fairTurn`). Again every this many steps if the chooser lets the task go on.
 */
export const FAIRNESS_STREAK = 64;

/** The view as the decider sees it: it sets the fair turn before asking the chooser. */
export interface FairnessView extends SchedulerView {
  fairTurn: number;
}

/**
 * The decisions of one schedule: marks fairness points, asks the chooser which task runs the
 * next step, and keeps each decision in order. The list is frozen when the schedule ends;
 * the decisions themselves are not (`Object.freeze` on each and on its `enabled` cost about a
 * third of the throughput of a schedule of checkpoints), their type is read-only.
 *
 * The fairness rule no longer removes the current task from the choice (that hid every
 * schedule in which a task runs more than 64 steps in a row): it names whose turn it is, the
 * default choice of every strategy takes that turn, and a chooser may still let the current
 * task go on, which costs it like a preemption. The turn goes to the task that ran least
 * recently, so two tasks polling each other cannot starve a third.
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
  decide(enabled: number[], step: number, view: FairnessView): Decision {
    const current = this.#current;
    const fairTurn =
      this.#streak >= FAIRNESS_STREAK &&
      this.#streak % FAIRNESS_STREAK === 0 &&
      enabled.length > 1 &&
      enabled.includes(current)
        ? this.#waitedLongest(enabled, current)
        : -1;
    let chosen: number;
    if (fairTurn < 0) {
      chosen = this.#chooser.choose(enabled, current, step, view);
    } else {
      view.fairTurn = fairTurn;
      try {
        chosen = this.#chooser.choose(enabled, current, step, view);
      } finally {
        view.fairTurn = -1;
      }
    }
    // At a fairness point a switch is what the rule asked for, whoever it goes to.
    const preemption =
      fairTurn < 0 && current >= 0 && chosen !== current && enabled.includes(current);
    const decision: Decision = { enabled, current, chosen, preemption, fairTurn };
    this.#decisions.push(decision);
    this.#streak = chosen === current ? this.#streak + 1 : 1;
    this.#current = chosen;
    return decision;
  }

  /** The schedule has ended: no more decisions. */
  finish(): void {
    Object.freeze(this.#decisions);
  }

  /**
   * Among `enabled` but `current`, the task that ran least recently; one that never ran
   * first, the lowest of those. Read back from the decisions (a fairness point is rare, and
   * a per-step record of who ran when would cost every step).
   */
  #waitedLongest(enabled: readonly number[], current: number): number {
    const waiting = new Set(enabled);
    waiting.delete(current);
    const decisions = this.#decisions;
    for (let i = decisions.length - 1; i >= 0 && waiting.size > 1; i--) {
      waiting.delete((decisions[i] as Decision).chosen);
    }
    let best = Infinity;
    for (const task of waiting) if (task < best) best = task;
    return best;
  }
}
