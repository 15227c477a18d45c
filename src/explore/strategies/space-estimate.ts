import type { Decision } from '../engine/run-types.ts';

/**
 * Roughly how many schedules have at most `bound` preemptions, judged from one schedule's
 * decisions: the free choices it met (who starts, who runs when the current task cannot go
 * on) multiply, and each of its k chances to preempt (the current task could go on, another
 * could run) offers the other enabled tasks, taken up to `bound` at a time:
 * free × Σ_{j ≤ bound} C(k, j) · a^j, with a the mean number of tasks a preemption could
 * switch to. Within a small factor on the programs measured (it undercounts a little when
 * later preemptions open new free choices); what matters is whether the space is tens,
 * thousands or factorially many schedules. Infinity when it overflows.
 */
export function estimateSpace(decisions: readonly Decision[], bound: number): number {
  let free = 1;
  let chances = 0;
  let alternatives = 0;
  for (const { enabled, current } of decisions) {
    if (current >= 0 && enabled.includes(current)) {
      if (enabled.length > 1) {
        chances++;
        alternatives += enabled.length - 1;
      }
    } else {
      free *= enabled.length;
    }
  }
  const mean = chances === 0 ? 0 : alternatives / chances;
  let total = 0;
  let combinations = 1; // C(chances, j)
  for (let j = 0; j <= bound && j <= chances; j++) {
    if (j > 0) combinations = (combinations * (chances - j + 1)) / j;
    total += combinations * mean ** j;
  }
  return free * total;
}
