/**
 * The Box story for `npm run demo`: two tasks check for room, meet at a barrier, then add.
 */
import { runInParallel, type Runner } from 'interleave';
import { Box, SafeBox } from './box.ts';

export interface BoxScenario {
  title: string;
  items: string[];
  expected: string[];
  /** A race the demo reproduces, or a fix that passes the same race. */
  kind: 'race' | 'fix';
  /** What the items show when they are the expected ones. */
  shows: string;
}

export async function boxScenarios(): Promise<BoxScenario[]> {
  const racy = new Box(2);
  racy.addItem('apple');
  const checkThenAdd = (item: string) => async (runner: Runner) => {
    const hasCapacity = racy.hasCapacity();
    await runner.await();
    if (hasCapacity) racy.addItem(item);
  };
  await runInParallel(checkThenAdd('banana'), checkThenAdd('orange'));

  const safe = new SafeBox(2);
  safe.addItem('apple');
  const tryAdd = (item: string) => async (runner: Runner) => {
    await runner.await();
    return safe.tryAdd(item);
  };
  await runInParallel(tryAdd('banana'), tryAdd('orange'));

  return [
    {
      title: 'Box: hasCapacity(), await, addItem()',
      items: racy.items(),
      expected: ['apple', 'banana', 'orange'],
      kind: 'race',
      shows: 'the overfill reproduced: 3 items in a box of capacity 2',
    },
    {
      title: 'SafeBox: await, tryAdd() (check and add in one step)',
      items: safe.items(),
      expected: ['apple', 'banana'],
      kind: 'fix',
      shows: 'the fix holds: the box stays at its capacity, orange refused',
    },
  ];
}
