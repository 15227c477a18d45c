/**
 * The case PCT was made for: a bug that needs one task to run far ahead early and then to
 * be overtaken, i.e. a priority change. A random walk rarely strings that many steps
 * together; PCT does it with probability about 1/(n·k^(d-1)) per schedule.
 */
import { describe, expect, it } from 'vitest';
import { checkpoint, explore, type ExploreSpec } from 'interleave';
import { raceOf } from './support/explore.ts';

const STEPS = 10;

/**
 * Three tasks of ten steps. Task 0 fails if, when it took its first step, task 2 had already
 * done 6 or more, and task 0 then finished while task 2 had not.
 */
function orderingBug(): ExploreSpec<{ done: number[]; aheadAtStart: number }> {
  const worker = (index: number) =>
    async function step(ctx: { done: number[]; aheadAtStart: number }) {
      for (let s = 0; s < STEPS; s++) {
        await checkpoint(`step ${s}`);
        ctx.done[index] = (ctx.done[index] ?? 0) + 1;
        if (index === 0 && s === 0) ctx.aheadAtStart = ctx.done[2] ?? 0;
      }
      if (index === 0 && ctx.aheadAtStart >= 6 && (ctx.done[2] ?? 0) < STEPS) {
        throw new Error(
          `task 0 finished first after task 2 had run ${ctx.aheadAtStart} steps ahead`,
        );
      }
    };
  return {
    setup: () => ({ done: [0, 0, 0], aheadAtStart: -1 }),
    tasks: [worker(0), worker(1), worker(2)],
    shrink: false,
    runs: 5000,
  };
}

async function schedulesToFind(strategy: 'pct' | 'random', seed: number): Promise<number> {
  const race = await raceOf(explore({ ...orderingBug(), strategy, seed }));
  return race.schedule;
}

describe('pct against a random walk, on a bug that needs a priority change', () => {
  it('pct finds it in far fewer schedules (mean over 10 seeds, at least 10x fewer)', async () => {
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    const pct: number[] = [];
    const random: number[] = [];

    for (const seed of seeds) {
      pct.push(await schedulesToFind('pct', seed));
      random.push(await schedulesToFind('random', seed));
    }

    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(
      mean(random) / mean(pct),
      `pct ${pct.join(',')} vs random ${random.join(',')}`,
    ).toBeGreaterThan(10);
  });

  it('the failure it reports is the ordering bug, with task 2 far ahead in the trace', async () => {
    const race = await raceOf(explore({ ...orderingBug(), strategy: 'pct', seed: 1 }));

    expect(race.task).toBe(0);
    const firstOfTask0 = race.trace.findIndex((step) => step.task === 0 && step.label === 'step 0');
    const task2Before = race.trace.slice(0, firstOfTask0).filter((step) => step.task === 2).length;
    expect(task2Before).toBeGreaterThanOrEqual(6);
  });
});
