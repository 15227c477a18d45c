/**
 * A lost update between two real threads: each reads the shared counter, the threads meet
 * at a barrier in shared memory, then each writes what it read plus one.
 */
import { expect, it } from 'vitest';
import { runInWorkers } from 'interleave';

const tasks = new URL('./tasks.ts', import.meta.url);

function sharedCounter(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

it.fails('two threads increment a shared counter twice (red: lost update)', async () => {
  const counter = sharedCounter();

  await runInWorkers(tasks, { tasks: ['increment', 'increment'], data: { counter } });

  expect(Atomics.load(counter, 0)).toBe(2);
});

it('reproduces the lost update: both threads read 0, the counter ends at 1', async () => {
  const counter = sharedCounter();

  // #region run
  const seen = await runInWorkers<number>(tasks, {
    tasks: ['increment', 'increment'],
    data: { counter },
  });

  expect(seen).toEqual([0, 0]);
  expect(Atomics.load(counter, 0)).toBe(1);
  // #endregion
});

it('Atomics.add fixes it: the counter ends at 2', async () => {
  const counter = sharedCounter();

  const seen = await runInWorkers<number>(tasks, {
    tasks: ['atomicIncrement', 'atomicIncrement'],
    data: { counter },
  });

  expect([...seen].sort()).toEqual([0, 1]);
  expect(Atomics.load(counter, 0)).toBe(2);
});
