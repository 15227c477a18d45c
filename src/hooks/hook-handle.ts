import { InterleaveError } from '../errors.ts';
import { formatKey } from '../internal/describe.ts';
import type { Patch } from './patch.ts';
import { currentCollection } from './collect.ts';
import { runMarked } from './reentrancy.ts';
import { formatSite, type Site } from './site.ts';
import type { CallInfo, Hook, HookFn } from './types.ts';
import {
  hookLabel,
  reportUnfired,
  type Unfired,
  type UnfiredCounts,
  whyUnfired,
} from './unfired.ts';

/** Every hook still installed anywhere, for `restoreAll()`. */
export const installedHooks = new Set<HookHandle>();

/** The settled parts of `triggered`, created only when somebody asks for it. */
interface Deferred {
  promise: Promise<CallInfo>;
  resolve: (call: CallInfo) => void;
  reject: (error: unknown) => void;
}

/** The options of a hook, validated (see `validate.ts`). */
export interface HookSettings {
  readonly times: number;
  readonly skip: number;
  readonly when: ((call: CallInfo) => boolean) | undefined;
  /** How long a call waits for the hook's promise; Infinity for no bound. */
  readonly timeout: number;
  readonly unfired: Unfired;
}

/** The implementation of {@link Hook}: state, counters and the firing decision. */
export class HookHandle implements Hook {
  readonly kind: 'before' | 'after';
  readonly fn: HookFn;
  readonly when: ((call: CallInfo) => boolean) | undefined;
  readonly times: number;
  /** The `skip` option; `skipLeft` counts down from it. */
  readonly skip: number;
  /** Matching calls still to let through before firing. */
  skipLeft: number;
  readonly timeout: number;
  readonly unfired: Unfired;
  /** Calls that reached `consider` while armed (the others were settled in the wrapper). */
  considered = 0;
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
  #site: Site | undefined;

  /** `site`: where the hook was created, for the messages about it (see `captureSite`). */
  constructor(
    kind: 'before' | 'after',
    patch: Patch,
    fn: HookFn,
    options: HookSettings,
    site?: Site,
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
    this.skip = options.skip;
    this.skipLeft = options.skip;
    this.timeout = options.timeout;
    this.unfired = options.unfired;
    this.#site = site;
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
    this.considered++;
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

  /** Restores the hook; one that never fired is reported as `unfired` says (it may throw). */
  restore(): void {
    if (!this.armed) return;
    this.#uninstall();
    if (this.fired > 0) return;
    this.#deferred?.reject(this.#restoredError());
    reportUnfired(this, this.#unfiredCounts());
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

  /** `test/x.test.ts:3:5`: where the hook was created, if that was captured. */
  get createdAt(): string | undefined {
    return formatSite(this.#site);
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

  /** Why a hook that never fired saw no firing call (computed when it is restored). */
  #unfiredCounts(): UnfiredCounts {
    // Without `when`, `skip` is settled in the wrapper and `consider` sees only firing calls;
    // with it, `consider` sees every call and settles `when`, then `skip`.
    const skipped = this.skip - this.skipLeft;
    const decided = this.when === undefined ? this.considered + skipped : this.considered;
    return {
      calls: this.calls,
      running: this.calls - decided,
      skipped,
      rejected: this.when === undefined ? 0 : this.considered - skipped,
    };
  }

  #restoredError(): InterleaveError {
    return new InterleaveError(
      'ERR_HOOK_RESTORED',
      `The ${hookLabel(this, false)} was restored before it fired, so \`triggered\` can never ` +
        `resolve. ${whyUnfired(this, this.#unfiredCounts())}`,
    );
  }
}

/** Returned by `consider` when the hook did not fire on this call. */
export const NOT_FIRED: unique symbol = Symbol('interleave.notFired');
