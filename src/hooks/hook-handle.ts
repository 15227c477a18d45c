import { InterleaveError } from '../errors.ts';
import { formatKey } from '../internal/describe.ts';
import type { Patch } from './patch.ts';
import { currentCollection } from './collect.ts';
import { runMarked } from './reentrancy.ts';
import type { CallInfo, Hook, HookFn } from './types.ts';

/** Every hook still installed anywhere, for `restoreAll()`. */
export const installedHooks = new Set<HookHandle>();

/** The settled parts of `triggered`, created only when somebody asks for it. */
interface Deferred {
  promise: Promise<CallInfo>;
  resolve: (call: CallInfo) => void;
  reject: (error: unknown) => void;
}

/** The implementation of {@link Hook}: state, counters and the firing decision. */
export class HookHandle implements Hook {
  readonly kind: 'before' | 'after';
  readonly fn: HookFn;
  readonly when: ((call: CallInfo) => boolean) | undefined;
  readonly times: number;
  /** Matching calls still to let through before firing. */
  skipLeft: number;
  /**
   * Whether calls made from inside the running hook must pass through it (times > 1). Hooks
   * that never call out (those of `yieldAt`) turn it off to skip the reentrancy tracking.
   */
  guarded: boolean;
  fired = 0;
  calls = 0;
  /** `active`, as a plain field the call path reads on every call. */
  armed = true;
  /** The API that made this hook, for messages (`before`, `after`, `yieldAt`). */
  api: string;
  /** How to fix an async hook on a synchronous method, when the API has its own advice. */
  syncAdvice: string | undefined;
  /** Told when the hook is found to be on a synchronous method (the call fails too). */
  onMisuse: ((error: InterleaveError) => void) | undefined;
  /**
   * `before` hooks that made the call wait: told the original's outcome once it is called
   * (`ok` with its promise, or not `ok` with what it threw), without the cost of an `after`
   * hook.
   */
  observe: ((args: unknown[], ok: boolean, outcome: unknown) => void) | undefined;
  #patch: Patch;
  #first: CallInfo | undefined;
  #deferred: Deferred | undefined;

  constructor(
    kind: 'before' | 'after',
    patch: Patch,
    fn: HookFn,
    options: { times: number; skip: number; when: ((call: CallInfo) => boolean) | undefined },
  ) {
    this.kind = kind;
    this.api = kind;
    this.syncAdvice = undefined;
    this.onMisuse = undefined;
    this.observe = undefined;
    currentCollection()?.push(this);
    this.#patch = patch;
    this.fn = fn;
    this.when = options.when;
    this.times = options.times;
    this.skipLeft = options.skip;
    this.guarded = options.times > 1;
    patch.add(this);
    installedHooks.add(this);
  }

  get active(): boolean {
    return this.armed;
  }

  get triggered(): Promise<CallInfo> {
    if (!this.#deferred) {
      let resolve!: (call: CallInfo) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<CallInfo>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // Rejection is for whoever awaits it; an unobserved handle must not crash the process.
      promise.catch(() => undefined);
      this.#deferred = { promise, resolve, reject };
      if (this.#first) resolve(this.#first);
      else if (!this.armed) reject(this.#restoredError());
    }
    return this.#deferred.promise;
  }

  /**
   * Decides whether this call makes the hook fire and, if so, runs it (disarming first when
   * this is its last firing). Returns `NOT_FIRED` or whatever the hook returned.
   */
  consider(call: CallInfo): unknown {
    if (!this.armed) return NOT_FIRED;
    if (this.when !== undefined && !this.when(call)) return NOT_FIRED;
    if (this.skipLeft > 0) {
      this.skipLeft--;
      return NOT_FIRED;
    }
    this.fired++;
    if (this.fired === 1) {
      this.#first = call;
      this.#deferred?.resolve(call);
    }
    if (this.fired >= this.times) this.#uninstall();
    return this.guarded ? runMarked(this, this.fn, call) : this.fn(call);
  }

  restore(): void {
    if (!this.armed) return;
    this.#uninstall();
    if (this.fired === 0) this.#deferred?.reject(this.#restoredError());
  }

  [Symbol.dispose](): void {
    this.restore();
  }

  /**
   * Restores the hook but leaves its (now pass-through) wrapper installed, for hooks that are
   * made again right away (explore's points, per schedule). Returns the patch, whose
   * `releaseIfIdle()` puts the original back once that churn is over.
   */
  detach(): Patch {
    if (this.armed) {
      this.armed = false;
      installedHooks.delete(this);
      this.#patch.remove(this, true);
      if (this.fired === 0) this.#deferred?.reject(this.#restoredError());
    }
    return this.#patch;
  }

  /** The patch this hook sits on. */
  get patch(): Patch {
    return this.#patch;
  }

  /** `getCount`, for messages. */
  get methodName(): string {
    return formatKey(this.#patch.key);
  }

  #uninstall(): void {
    this.armed = false;
    installedHooks.delete(this);
    this.#patch.remove(this);
  }

  #restoredError(): InterleaveError {
    return new InterleaveError(
      'ERR_HOOK_RESTORED',
      `The ${this.kind}() hook on \`${this.methodName}\` was restored before it fired ` +
        `(it saw ${this.calls} call${this.calls === 1 ? '' : 's'}), so \`triggered\` can never ` +
        `resolve. Make sure the code under test calls \`${this.methodName}\` on the hooked object ` +
        `(and that \`when\`/\`skip\` let a call match) before the hook is restored.`,
    );
  }
}

/** Returned by `consider` when the hook did not fire on this call. */
export const NOT_FIRED: unique symbol = Symbol('interleave.notFired');
