import type { SerializedError } from './serialize-error.ts';

/** What the main thread hands each worker at start. */
export interface WorkerSetup {
  readonly moduleUrl: string;
  readonly exportName: string;
  readonly index: number;
  readonly count: number;
  readonly buffer: SharedArrayBuffer;
  /** One Int32 per task, bumped while the task's thread loads the module (`load-clock.ts`). */
  readonly beats: SharedArrayBuffer;
  readonly timeout: number;
  readonly data: unknown;
}

/** Messages from a worker to the main thread. */
export type FromWorker =
  /** The thread is up and starts importing the task module (the load clock starts). */
  | { readonly type: 'loading' }
  | { readonly type: 'ready' }
  | { readonly type: 'missing-export'; readonly found: string; readonly functions: string[] }
  | { readonly type: 'load-failed'; readonly error: SerializedError }
  /** The thread ran out of work while the module still loaded: a top-level await never settled. */
  | { readonly type: 'load-unsettled' }
  /** An error nobody caught in the thread (it exits next). */
  | { readonly type: 'uncaught'; readonly error: SerializedError }
  | { readonly type: 'done'; readonly ok: true; readonly value: unknown }
  | { readonly type: 'done'; readonly ok: false; readonly error: SerializedError };

/** Messages from the main thread to a worker. */
export type ToWorker =
  { readonly type: 'start' } | { readonly type: 'abort'; readonly reason: SerializedError };

/**
 * How often a thread that loads the task module beats (`worker-entry.ts`), and at most how
 * often the main thread looks at the beats (`load-clock.ts`), in ms.
 */
export const BEAT_MS = 50;
