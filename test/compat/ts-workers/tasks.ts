// A TypeScript task module for runInWorkers, loaded by worker threads from the packed package.
import type { WorkerRunner } from 'interleave';

export interface CounterData {
  readonly counter: Int32Array;
}

/** Reads, waits until every thread has read, then writes: one increment is lost. */
export function increment(runner: WorkerRunner, { counter }: CounterData): number {
  const seen: number = Atomics.load(counter, 0);
  runner.awaitSync('read');
  Atomics.store(counter, 0, seen + 1);
  return seen;
}
