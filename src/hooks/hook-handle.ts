import { InterleaveError } from '../errors.ts';
import { formatKey } from '../internal/describe.ts';
import { arrayPush, setAdd, setDelete } from '../internal/intrinsics.ts';
import { NOT_FIRED, type SiteHook } from './call-site.ts';
import { currentCollection } from './collect.ts';
import type { Patch } from './patch.ts';
import { isRunningHere, runMarked } from './reentrancy.ts';
import { formatSite, type Site } from './site.ts';
import { Trigger } from './trigger.ts';
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

/** The options of a hook, validated (see `validate.ts`). */
export interface HookSettings {
  readonly times: number;
  readonly skip: number;
  readonly when: ((call: CallInfo) => boolean) | undefined;
  /** How long a call waits for the hook's promise; Infinity for no bound. */
  readonly timeout: number;
  readonly unfired: Unfired;
}

/** What an API that builds on hooks (`yieldAt`) sets beyond the user's options. */
export interface HookExtras {
  /** Where the hook was created, for the messages about it (see `captureSite`). */
  readonly site?: Site | undefined;
  /** The API that made the hook, for messages; default: its kind. */
  readonly api?: string;
  /**
   * Whether calls made from inside the running hook must pass through it; default: when
   * `times > 1`. Hooks that never call out (those of `yieldAt`) turn it off to skip the
   * reentrancy tracking.
   */
  readonly guarded?: boolean;
  readonly syncAdvice?: string;
  readonly onMisuse?: (error: InterleaveError) => void;
  readonly observe?: (args: unknown[], ok: boolean, outcome: unknown) => void;
}

/**
 * The implementation of {@link Hook}: state, counters and the firing decision. Every option
 * is fixed when it is made; only its counters change.
 */
export class HookHandle implements Hook, SiteHook {
  readonly kind: 'before' | 'after';
  readonly fn: HookFn;
  readonly when: ((call: CallInfo) => boolean) | undefined;
  readonly times: number;
  /** The `skip` option; `#skipLeft` counts down from it (see `#skips`). */
  readonly skip: number;
  readonly timeout: number;
  readonly unfired: Unfired;
  readonly guarded: boolean;
  /** The API that made this hook, for messages (`before`, `after`, `yieldAt`). */
  readonly api: string;
  readonly syncAdvice: string | undefined;
  readonly onMisuse: ((error: InterleaveError) => void) | undefined;
  readonly observe: ((args: unknown[], ok: boolean, outcome: unknown) => void) | undefined;
  fired = 0;
  calls = 0;
  /** Matching calls still to let through before firing. */
  #skipLeft: number;
  /** Calls that reached `consider` while armed (the others were settled in `enter`). */
  #considered = 0;
  /** `active`, as a plain field the call path reads on every call. */
  #armed = true;
  readonly #patch: Patch;
  #first: CallInfo | undefined;
  #deferred: Trigger | undefined;
  readonly #site: Site | undefined;

  constructor(
    kind: 'before' | 'after',
    patch: Patch,
    fn: HookFn,
    options: HookSettings,
    extras: HookExtras = {},
  ) {
    this.kind = kind;
    this.fn = fn;
    this.when = options.when;
    this.times = options.times;
    this.skip = options.skip;
    this.timeout = options.timeout;
    this.unfired = options.unfired;
    this.guarded = extras.guarded ?? options.times > 1;
    this.api = extras.api ?? kind;
    this.syncAdvice = extras.syncAdvice;
    this.onMisuse = extras.onMisuse;
    this.observe = extras.observe;
    this.#skipLeft = options.skip;
    this.#patch = patch;
    this.#site = extras.site;
    const collection = currentCollection();
    if (collection !== undefined) arrayPush(collection, this);
    patch.add(this);
    setAdd(installedHooks, this);
  }

  get active(): boolean {
    return this.#armed;
  }

  get triggered(): Promise<CallInfo> {
    if (!this.#deferred) {
      const waiting = this.#first === undefined && this.#armed;
      this.#deferred = new Trigger(waiting ? this.timeout : Infinity, () =>
        this.#triggerTimeoutError(),
      );
      if (this.#first) this.#deferred.resolve(this.#first);
      else if (!this.#armed) this.#deferred.reject(this.#restoredError());
    }
    return this.#deferred.promise;
  }

  /** See {@link SiteHook.enter}: called by the wrapper on every call of the method. */
  enter(): number {
    if (!this.#armed) return 0;
    const index = ++this.calls;
    if (this.guarded && isRunningHere(this)) return 0;
    // Without `when` every call matches, so `skip` is settled here, in call order.
    if (this.when === undefined && this.#skips()) return 0;
    return index;
  }

  /**
   * Decides whether this call makes the hook fire and, if so, runs it (disarming first when
   * this is its last firing). Returns `NOT_FIRED` or whatever the hook returned.
   */
  consider(call: CallInfo): unknown {
    if (!this.#armed) return NOT_FIRED;
    this.#considered++;
    if (this.when !== undefined && (!this.when(call) || this.#skips())) return NOT_FIRED;
    this.fired++;
    if (this.fired === 1) {
      this.#first = call;
      this.#deferred?.resolve(call);
    }
    if (this.fired >= this.times) this.#uninstall();
    return this.guarded ? runMarked(this, this.fn, call) : this.fn(call);
  }

  /**
   * The `skip` rule, for a call that matches: the first `skip` matching calls are let
   * through. Without `when` every call matches and `enter` asks, in call order; with `when`,
   * `consider` asks once `when` accepted the call.
   */
  #skips(): boolean {
    if (this.#skipLeft === 0) return false;
    this.#skipLeft--;
    return true;
  }

  /** Restores the hook; one that never fired is reported as `unfired` says (it may throw). */
  restore(): void {
    if (!this.#armed) return;
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
    if (this.#armed) {
      this.#armed = false;
      setDelete(installedHooks, this);
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
    this.#armed = false;
    setDelete(installedHooks, this);
    this.#patch.remove(this);
  }

  /** Why a hook that never fired saw no firing call (computed when it is restored). */
  #unfiredCounts(): UnfiredCounts {
    // Without `when`, `skip` is settled in `enter` and `consider` sees only firing calls;
    // with it, `consider` sees every call and settles `when`, then `skip`.
    const skipped = this.skip - this.#skipLeft;
    const considered = this.#considered;
    const decided = this.when === undefined ? considered + skipped : considered;
    return {
      calls: this.calls,
      running: this.calls - decided,
      skipped,
      rejected: this.when === undefined ? 0 : considered - skipped,
    };
  }

  #triggerTimeoutError(): InterleaveError {
    return new InterleaveError(
      'ERR_HOOK_TIMEOUT',
      `\`triggered\` of the ${hookLabel(this, true)} did not resolve within ${this.timeout} ms: ` +
        `the hook has not fired. ${this.calls === 0 ? `It saw no call of \`${this.methodName}\` yet: the code under test has not made it, or does not call it through the hooked object (hook the object it calls through, e.g. \`Class.prototype\` for every instance).` : whyUnfired(this, this.#unfiredCounts())} If the call is ` +
        `only slow to come, raise \`options.timeout\` (now ${this.timeout} ms), or pass ` +
        `\`timeout: Infinity\`.`,
    );
  }

  #restoredError(): InterleaveError {
    return new InterleaveError(
      'ERR_HOOK_RESTORED',
      `The ${hookLabel(this, false)} was restored before it fired, so \`triggered\` can never ` +
        `resolve. ${whyUnfired(this, this.#unfiredCounts())}`,
    );
  }
}
