/**
 * Two tasks share one box and make the same decision at the same moment. With a barrier
 * between the check and the add, both see room, and the box ends up over capacity on the
 * first run, every run.
 */
import { expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';
import { Box, SafeBox } from './box.ts';

// The test a developer writes first: red on every run while the race is there.
it.fails('never holds more than its capacity (red: check-then-act)', async () => {
  const box = new Box(2);
  box.addItem('apple');
  const add = (item: string) => async (runner: Runner) => {
    const hasCapacity = box.hasCapacity();
    await runner.await();
    if (hasCapacity) box.addItem(item);
  };

  await runInParallel(add('banana'), add('orange'));

  expect(box.items().length).toBeLessThanOrEqual(box.maxCapacity);
});

it('check-then-act: both tasks see room, both add, the box holds three', async () => {
  const box = new Box(2);
  box.addItem('apple');
  // #region race
  const add = (item: string) => async (runner: Runner) => {
    const hasCapacity = box.hasCapacity();
    await runner.await(); // both have checked before either adds
    if (hasCapacity) box.addItem(item);
  };

  await runInParallel(add('banana'), add('orange'));
  // #endregion

  expect(box.items()).toEqual(['apple', 'banana', 'orange']);
});

it('the fixed box makes check-and-add one step: it keeps two', async () => {
  const box = new SafeBox(2);
  box.addItem('apple');
  const add = (item: string) => async (runner: Runner) => {
    await runner.await(); // both are ready before either adds
    return box.tryAdd(item);
  };

  const added = await runInParallel(add('banana'), add('orange'));

  expect(added).toEqual([true, false]);
  expect(box.items()).toEqual(['apple', 'banana']);
});
