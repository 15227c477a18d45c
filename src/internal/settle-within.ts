/**
 * Waits for `returned` for at most `ms`: past it, the returned promise rejects with
 * `timedOut()` (the work itself goes on; what it later throws is ignored). The timer keeps the
 * process alive meanwhile, so the wait ends with this error rather than the process exiting
 * with the work pending; it is cleared as soon as `returned` settles.
 */
export function settleWithin<T>(
  returned: PromiseLike<T>,
  ms: number,
  timedOut: () => Error,
): Promise<T> {
  if (ms === Infinity) return Promise.resolve(returned);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(timedOut());
    }, ms);
    Promise.resolve(returned).then(
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
