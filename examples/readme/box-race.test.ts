import { expect, it } from 'vitest';
import { runInParallel, type Runner } from 'interleave';

const box = { items: ['apple'], capacity: 2 };

const add = (item: string) => async (runner: Runner) => {
  const hasCapacity = box.items.length < box.capacity; // check...
  await runner.await(); // ...wait until every task has checked...
  if (hasCapacity) box.items.push(item); // ...then act on a stale answer
};

it('over-fills the box, every run', async () => {
  await runInParallel(add('banana'), add('orange'));

  expect(box.items).toEqual(['apple', 'banana', 'orange']);
});
