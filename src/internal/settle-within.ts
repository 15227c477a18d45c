import { NativePromise, promiseResolve, promiseThen } from './intrinsics.ts';
import { ownTimeout } from './real-timers.ts';

/**
 * Waits for `returned` for at most `ms`: past it, the returned promise rejects with
 * `timedOut()` (the work itself goes on; what it later throws is ignored). `ms` Infinity: no
 * bound, `returned` as a promise. The timer keeps the process alive meanwhile, so the wait ends
 * with this error rather than the process exiting with the work pending; it is cleared as soon
 * as `returned` settles.
 *
 * The hooks core waits for async hooks here, so its promises are the ones captured at load
 * (`intrinsics.ts`): a test that hooks `Promise.prototype.then` or replaces `Promise` sees none
 * of these calls.
 */
export function settleWithin<T>(
  returned: PromiseLike<T>,
  ms: number,
  timedOut: () => Error,
): Promise<T> {
  if (ms === Infinity) return promiseResolve(returned);
  return new NativePromise<T>((resolve, reject) => {
    const timer = ownTimeout(() => {
      reject(timedOut());
    }, ms);
    void promiseThen(
      promiseResolve(returned),
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
