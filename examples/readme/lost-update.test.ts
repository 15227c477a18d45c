import { expect, it } from 'vitest';
import { after } from 'interleave';

// The code under test: a counter that reads, adds one and writes back.
const db = {
  count: 0,
  getCount() {
    return this.count;
  },
  setCount(n: number) {
    this.count = n;
  },
};

function increment() {
  const count = db.getCount();
  db.setCount(count + 1);
}

it.fails('counts two overlapping increments', () => {
  // Right after the first read, run a whole second increment.
  using _hook = after(db, 'getCount', () => increment());

  increment();

  expect(db.getCount()).toBe(2);
});
