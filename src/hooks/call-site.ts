import type { InterleaveError } from '../errors.ts';
import type { TimedHook } from './timeout.ts';
import type { CallInfo } from './types.ts';

/**
 * The bottom of the hooks core: what the wrapper (`invoke.ts`) needs of a hook and of the
 * patched property it sits on. The core imports one way: this interface, then the wrapper,
 * then the patch (`patch.ts`), then the handle (`hook-handle.ts`), which implements
 * {@link SiteHook}.
 */
export interface SiteHook extends TimedHook {
  /**
   * Counts a call of the hooked method and says whether the hook takes part in it: the
   * call's index as this hook counts it, or 0 when the hook is not armed, the call comes
   * from inside the hook itself, or the hook's `skip` settled it.
   */
  enter(): number;
  /**
   * Decides whether this call makes the hook fire and, if so, runs it. Returns
   * {@link NOT_FIRED} or whatever the hook returned.
   */
  consider(call: CallInfo): unknown;
  /** How to fix an async hook on a synchronous method, when the API has its own advice. */
  readonly syncAdvice: string | undefined;
  /** Told when the hook is found to be on a synchronous method (the call fails too). */
  readonly onMisuse: ((error: InterleaveError) => void) | undefined;
  /**
   * Told the original's outcome once it is called (`ok` with its promise, or not `ok` with
   * what it threw), for `before` hooks that made the call wait, without an `after` hook.
   */
  readonly observe: ((args: unknown[], ok: boolean, outcome: unknown) => void) | undefined;
}

/** What the wrapper reads of the patched property on every call. */
export interface CallSite {
  /** The hooks on it in creation order; replaced, never mutated, so running calls keep theirs. */
  readonly hooks: readonly SiteHook[];
  /** The original when it cannot change (an own data property): saves `resolve()` per call. */
  readonly constantOriginal: Function | undefined;
  /** The function the wrapper stands for, read at call time, for the call's receiver. */
  readonly resolve: (receiver: unknown) => Function;
}

/** Returned by `consider` when the hook did not fire on this call. */
export const NOT_FIRED: unique symbol = Symbol('interleave.notFired');

/**
 * Returned by a `before` hook's `consider` to take a call over (`yieldAt` with `defer` or
 * `callback`): the caller gets `returns` at once, and `start` is handed the rest of the call
 * (the later hooks and the original, with the call's arguments as they are then), to run
 * when the hook chooses. What that returns or throws is the hook's to report.
 */
export class Takeover {
  constructor(
    readonly returns: unknown,
    readonly start: (proceed: () => unknown) => void,
  ) {}
}
