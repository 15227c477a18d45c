/**
 * The shared-counter story for `npm run demo`: two threads read a counter in shared memory,
 * meet at the barrier, then write; then the same with Atomics.add.
 */
import { runInWorkers } from 'interleave';

export interface CounterScenario {
  title: string;
  seen: number[];
  count: number;
  expected: number;
}

export async function counterScenarios(): Promise<CounterScenario[]> {
  const tasks = new URL('./tasks.ts', import.meta.url);
  const run = async (title: string, task: string, expected: number) => {
    const counter = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const seen = await runInWorkers<number>(tasks, { tasks: [task, task], data: { counter } });
    return { title, seen, count: Atomics.load(counter, 0), expected };
  };
  return [
    await run('increment: load, awaitSync(), store', 'increment', 1),
    await run('atomicIncrement: awaitSync(), Atomics.add', 'atomicIncrement', 2),
  ];
}
