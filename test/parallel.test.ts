import { describe, expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';

describe('runInParallel: the barrier', () => {
  it('lets no task past a barrier until every task reached it', async () => {
    const log: string[] = [];
    const task = (name: string) => async (runner: Runner) => {
      log.push(`${name} before`);
      await runner.await();
      log.push(`${name} after`);
      return name;
    };

    const results = await runInParallel(task('a'), task('b'), task('c'));

    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a before', 'b before', 'c before', 'a after', 'b after', 'c after']);
  });

  it('starts tasks in order, each running until its first await', async () => {
    const log: string[] = [];

    await runInParallel(
      async (runner) => {
        log.push('0 start');
        await Promise.resolve();
        log.push('0 resumed');
        await runner.await();
      },
      async (runner) => {
        log.push('1 start');
        await runner.await();
      },
    );

    expect(log.slice(0, 2)).toEqual(['0 start', '1 start']);
  });

  it('is cyclic: phases one after another, with labels', async () => {
    const log: string[] = [];
    const task = (name: string) => async (runner: Runner) => {
      for (const phase of ['read', 'write', 'commit']) {
        log.push(`${name} ${phase}`);
        await runner.await(phase);
      }
    };

    await runInParallel(task('a'), task('b'));

    expect(log).toEqual(['a read', 'b read', 'a write', 'b write', 'a commit', 'b commit']);
  });

  it('gives each task its index, the count and a signal', async () => {
    const seen = await runInParallel(
      (runner) => [runner.index, runner.count, runner.signal.aborted],
      (runner) => [runner.index, runner.count, runner.signal.aborted],
    );

    expect(seen).toEqual([
      [0, 2, false],
      [1, 2, false],
    ]);
  });

  it('accepts an array of tasks with options, and synchronous tasks', async () => {
    const results = await runInParallel([() => 1, async () => 'two'], { timeout: 1000 });

    expect(results).toEqual([1, 'two']);
  });

  it('moves 200 tasks through 5 phases of one barrier', async () => {
    const phases = 5;
    const counts = Array.from({ length: phases }, () => 0);
    const tasks = Array.from({ length: 200 }, () => async (runner: Runner) => {
      for (let phase = 0; phase < phases; phase++) {
        counts[phase] = (counts[phase] ?? 0) + 1;
        // Nobody may be past this phase before all 200 have counted themselves in.
        await runner.await(`phase ${phase}`);
        expect(counts[phase]).toBe(200);
      }
      return runner.index;
    });

    const results = await runInParallel(tasks);

    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });
});
