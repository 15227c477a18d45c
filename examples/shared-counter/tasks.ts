/**
 * Tasks for two worker threads that share a counter in a SharedArrayBuffer. `increment`
 * reads, waits for the other thread at the barrier, then writes: a lost update, every run.
 * `atomicIncrement` does the read-modify-write as one atomic operation.
 *
 * This module is TypeScript: the threads load it natively on Node with type stripping, and
 * through tsx elsewhere (see docs/parallel.md).
 */
import type { WorkerRunner } from 'interleave';

export interface CounterData {
  /** One Int32 cell in shared memory: every thread sees the same one. */
  readonly counter: Int32Array;
}

// #region increment
export function increment(runner: WorkerRunner, { counter }: CounterData): number {
  const seen = Atomics.load(counter, 0);
  runner.awaitSync('read'); // both threads have read before either writes
  Atomics.store(counter, 0, seen + 1);
  return seen;
}
// #endregion

export function atomicIncrement(runner: WorkerRunner, { counter }: CounterData): number {
  runner.awaitSync('ready');
  return Atomics.add(counter, 0, 1);
}
