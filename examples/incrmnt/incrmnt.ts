/**
 * Incrmnt: a global counter and a plus button. Each function below is one version of the
 * request handler, from the racy original to the fixes.
 */
import pRetry from 'p-retry';
import { asyncDb, CouldNotLock, db } from './db.ts';

/** The original handler: read, add one, write. Two overlapping requests lose an update. */
export function increment(): number {
  const count = db.getCount();
  const newCount = count + 1;
  db.setCount(newCount);
  return newCount;
}

/** Only one request at a time may read and write; a second one fails with `CouldNotLock`. */
export function lockingIncrement(): number {
  using _lock = db.getLock();
  return increment();
}

/** The store does the read and the write in one atomic operation. */
export function atomicIncrement(): number {
  return db.incrementCount();
}

/** `increment` against the asynchronous store. */
export async function incrementAsync(): Promise<number> {
  const count = await asyncDb.getCount();
  const newCount = count + 1;
  await asyncDb.setCount(newCount);
  return newCount;
}

/** `lockingIncrement` against the asynchronous store. */
export async function lockingIncrementAsync(): Promise<number> {
  await using _lock = await asyncDb.getLock();
  // `return await`, not `return`: the lock is released when this block exits, and it must
  // not exit before the increment has finished.
  return await incrementAsync();
}

/**
 * Retries `lockingIncrementAsync` when the lock is held, so a colliding request is counted
 * once the other one has released the lock. Any other error is not retried.
 */
export function retryingLockingIncrement(
  onRetry: (attempt: number) => void = () => undefined,
): Promise<number> {
  return pRetry(() => lockingIncrementAsync(), {
    retries: 5,
    minTimeout: 5,
    factor: 2,
    randomize: false,
    shouldRetry: ({ error }) => error instanceof CouldNotLock,
    onFailedAttempt: ({ attemptNumber }) => {
      onRetry(attemptNumber);
    },
  });
}

/** Requests take turns: a second one waits for the lock instead of failing. */
export async function queuedIncrementAsync(): Promise<number> {
  await using _lock = await asyncDb.acquireLock();
  return await incrementAsync();
}

/** `atomicIncrement` against the asynchronous store. */
export function atomicIncrementAsync(): Promise<number> {
  return asyncDb.incrementCount();
}
