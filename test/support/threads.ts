/**
 * Counts the worker threads runInWorkers starts, and their exits: when a run has settled,
 * every thread it started must have exited. Install it in a test file with
 *
 * ```ts
 * vi.mock('node:worker_threads', async (importOriginal) =>
 *   (await import('./support/threads.ts')).countedWorkerThreads(importOriginal),
 * );
 * ```
 *
 * and read `threads` (reset it in `afterEach` with `resetThreads()`).
 */
import type * as WorkerThreads from 'node:worker_threads';

/** Threads started and exited since the last reset. */
export const threads = { started: 0, exited: 0 };

export function resetThreads(): void {
  threads.started = 0;
  threads.exited = 0;
}

/** `node:worker_threads` with a Worker that counts itself in `threads`. */
export async function countedWorkerThreads(
  importOriginal: () => Promise<typeof WorkerThreads>,
): Promise<typeof WorkerThreads> {
  const original = await importOriginal();
  class CountedWorker extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args);
      threads.started++;
      this.once('exit', () => threads.exited++);
    }
  }
  return { ...original, Worker: CountedWorker };
}
