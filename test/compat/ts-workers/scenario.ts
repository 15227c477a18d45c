// The TypeScript worker scenario every way of running tests must run the same way: a .ts
// task module, with no `execArgv` (the threads inherit the run's loader, or interleave
// registers tsx in them) and with the explicit `execArgv: ['--import', 'tsx']`.
import { runInWorkers } from 'interleave';
import type { CounterData } from './tasks.ts';

/** What two threads running `increment` left behind: what each read, and the final count. */
export async function lostUpdate(
  execArgv?: readonly string[],
): Promise<{ seen: number[]; count: number }> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const data: CounterData = { counter };
  const seen = await runInWorkers<number>(new URL('./tasks.ts', import.meta.url), {
    tasks: ['increment', 'increment'],
    data,
    ...(execArgv === undefined ? {} : { execArgv }),
  });
  return { seen, count: Atomics.load(counter, 0) };
}

export const EXPECTED = { seen: [0, 0], count: 1 };
export const WITH_TSX = ['--import', 'tsx'];
