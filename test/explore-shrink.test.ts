/**
 * Shrinking reaches the fewest preemptions and drops the steps that do not matter (issue #15,
 * item 6): a racy stack popped by two tasks while a third pushes and a fourth only makes
 * noise, found by random walks whose schedules switch tasks at almost every step.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpoint, explore } from 'interleave';
import { raceOf } from './support/explore.ts';

interface Stack {
  items: number[];
}

/** Pops when it saw an item: the check and the pop are two steps (check-then-act). */
async function popper(stack: Stack): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await checkpoint('check');
    if (stack.items.length > 0) {
      await checkpoint('pop');
      if (stack.items.length === 0) throw new Error('pop from an empty stack');
      stack.items.pop();
    }
  }
}

const racyStack = () => ({
  setup: (): Stack => ({ items: [] }),
  tasks: [
    async function pusher(stack: Stack) {
      for (let i = 0; i < 20; i++) {
        await checkpoint('push');
        stack.items.push(i);
      }
    },
    popper,
    popper,
    async function noise() {
      for (let i = 0; i < 30; i++) await checkpoint('noise');
    },
  ],
});

describe('shrinking', () => {
  // Shrinking stops at its time budget (500 ms) too: the first explore of a process runs cold
  // (unoptimized code, a loaded machine), so one untimed run warms the engine up first. What
  // is checked here is where shrinking ends, not how fast a cold process gets there.
  beforeAll(async () => {
    await explore({ ...racyStack(), strategy: 'random', seed: 99, runs: 100 }).catch(() => {});
  });

  it.each([0, 1, 2, 3, 4, 5])(
    'reaches the 2 preemptions the bug needs, and drops the noise (random, seed %i)',
    async (seed) => {
      const race = await raceOf(explore({ ...racyStack(), strategy: 'random', seed, runs: 100 }));

      // One pushed item, both poppers past their check, one pops: the pusher and the first
      // popper are each switched away from while they could go on. (Before: up to 26.)
      expect(race.preemptions).toBe(2);
      expect(race.trace.some((step) => step.label === 'noise')).toBe(false);
      // The second popper runs its ten checks to its end rather than being preempted again.
      expect(race.trace.length).toBeLessThanOrEqual(25);
    },
  );
});
