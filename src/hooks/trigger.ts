import type { InterleaveError } from '../errors.ts';
import { NativePromise, promiseThen } from '../internal/intrinsics.ts';
import type { CallInfo } from './types.ts';
import { ownTimeout } from '../internal/real-timers.ts';

/**
 * A hook's `triggered` promise: resolved by the hook's first firing call, rejected when the
 * hook is restored before firing, or, past `timeout` ms from when it was first asked for,
 * with `timedOut()` (so that `await hook.triggered` on a hook that is never called ends with
 * our message, not the test runner's timeout). The timer is cleared once the promise settles.
 */
export class Trigger {
  readonly promise: Promise<CallInfo>;
  #resolve!: (call: CallInfo) => void;
  #reject!: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeout: number, timedOut: () => InterleaveError) {
    this.promise = new NativePromise<CallInfo>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Rejection is for whoever awaits it; an unobserved handle must not crash the process.
    void promiseThen(this.promise, undefined, () => undefined);
    if (timeout !== Infinity) {
      this.#timer = ownTimeout(() => {
        this.#timer = undefined;
        this.#reject(timedOut());
      }, timeout);
    }
  }

  resolve(call: CallInfo): void {
    this.#clear();
    this.#resolve(call);
  }

  reject(error: unknown): void {
    this.#clear();
    this.#reject(error);
  }

  #clear(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
