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
  /** A race the demo reproduces, or a fix that passes the same race. */
  kind: 'race' | 'fix';
  /** What the count shows when it is the expected one. */
  shows: string;
}

export async function counterScenarios(): Promise<CounterScenario[]> {
  const tasks = new URL('./tasks.ts', import.meta.url);
  const run = async (
    title: string,
    task: string,
    outcome: Pick<CounterScenario, 'expected' | 'kind' | 'shows'>,
  ): Promise<CounterScenario> => {
    const counter = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const seen = await runInWorkers<number>(tasks, { tasks: [task, task], data: { counter } });
    return { title, seen, count: Atomics.load(counter, 0), ...outcome };
  };
  return [
    await run('increment: load, awaitSync(), store', 'increment', {
      expected: 1,
      kind: 'race',
      shows: 'the lost update reproduced',
    }),
    await run('atomicIncrement: awaitSync(), Atomics.add', 'atomicIncrement', {
      expected: 2,
      kind: 'fix',
      shows: 'the fix holds: both increments counted',
    }),
  ];
}
