import {
  arrayForEach,
  promiseThen,
  setAdd,
  setDelete,
  setForEach,
  setHas,
} from '../internal/intrinsics.ts';
import { collectHooks } from './collect.ts';
import type { HookHandle } from './hook-handle.ts';
import type { Patch } from './patch.ts';

/**
 * The hooks that a callback run again and again (explore's `points`, once per schedule)
 * makes, and the methods they patch. Explore's one entry into the hooks layer:
 * `collect` runs the callback, `detach` removes what it made once the schedule is over,
 * `close` puts every original back at the end.
 *
 * Between runs the wrappers of the detached hooks stay installed, passing every call
 * through, so that hooking the same methods again is cheap; a method the next run does not
 * hook again gets its original back as soon as that run's callback is done, so its target
 * can be freed.
 */
export class HookScope {
  /** Methods hooked by an earlier run whose pass-through wrappers are still installed. */
  readonly #patched = new Set<Patch>();
  /** The hooks the current run made. */
  #made: HookHandle[] = [];

  /**
   * Runs `fn(arg)` and keeps every hook it creates (until the promise it returns settles),
   * also when it throws. Returns a promise only when `fn` did (see `collectHooks`). Without
   * `fn`, this run hooks nothing.
   */
  collect<A>(fn: ((arg: A) => unknown) | undefined, arg: A): Promise<void> | undefined {
    const collecting = fn === undefined ? undefined : collectHooks(this.#made, fn, arg);
    if (collecting === undefined) {
      this.#releaseUnhooked();
      return undefined;
    }
    return promiseThen(collecting, () => {
      this.#releaseUnhooked();
    });
  }

  /**
   * Restores the hooks the current run made, unreported, leaving their wrappers installed
   * for the next run.
   */
  detach(): void {
    arrayForEach(this.#made, (hook) => setAdd(this.#patched, hook.detach()));
    this.#made = [];
  }

  /** Puts back the original of every method hooked in this scope that no hook is left on. */
  close(): void {
    setForEach(this.#patched, (patch) => {
      patch.releaseIfIdle();
    });
  }

  /** Puts back the originals of the methods hooked before but not by this run. */
  #releaseUnhooked(): void {
    const hookedNow = new Set<Patch>();
    arrayForEach(this.#made, (hook) => setAdd(hookedNow, hook.patch));
    setForEach(this.#patched, (patch) => {
      if (setHas(hookedNow, patch)) return;
      patch.releaseIfIdle();
      setDelete(this.#patched, patch);
    });
  }
}
