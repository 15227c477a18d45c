import {
  arrayFilter,
  arraySlice,
  mapDelete,
  mapGet,
  mapSet,
  objectDefineProperty,
  objectGetOwnPropertyDescriptor,
  objectGetPrototypeOf,
  objectToString,
  reflectDeleteProperty,
  reflectGet,
  weakMapGet,
  weakMapSet,
} from '../internal/intrinsics.ts';
import { type Binding, bindingOf } from './esm-bindings.ts';
import type { CallSite, SiteHook } from './call-site.ts';
import { createWrapper } from './invoke.ts';
import { esmNotPatchable, notPatchable } from './not-patchable.ts';
import { replacementFor } from './replacement.ts';

/**
 * One replaced property: the wrapper installed on `target[key]`, the hooks stacked on it in
 * creation order, and what it takes to put the exact original descriptor back.
 */
export class Patch implements CallSite {
  /** Installed hooks in creation order. Replaced, never mutated, so running calls keep theirs. */
  hooks: readonly SiteHook[] = [];
  readonly target: object;
  readonly key: PropertyKey;
  /**
   * Returns the function the wrapper stands for, read at call time (live for getters and
   * inherited methods), with the call's receiver when it is the target or inherits from it.
   */
  readonly resolve: (receiver: unknown) => Function;
  /** The original when it cannot change (an own data property): saves `resolve()` per call. */
  readonly constantOriginal: Function | undefined = undefined;
  readonly #original: PropertyDescriptor | undefined;
  /** What this patch defined, to tell whether it is still the property's definition. */
  readonly #installed: PropertyDescriptor;
  /** Set once the property was replaced by someone else: restoring must leave theirs alone. */
  #superseded = false;
  /** False once the last hook is gone and the original is back (the patch may be reused). */
  #active = true;
  /** The prototype an inherited method was read from, to tell whether reuse is safe. */
  readonly #proto: object | null;
  /** An ES module export made patchable by interleave/register: set through its module. */
  readonly #binding: Binding | undefined;

  constructor(target: object, key: PropertyKey, apiName: string, binding?: Binding) {
    this.target = target;
    this.key = key;
    this.#binding = binding;
    if (binding !== undefined) {
      const original = binding.get() as Function;
      const wrapper = createWrapper(this, original);
      this.resolve = () => original;
      this.constantOriginal = original;
      this.#original = { value: original };
      this.#proto = null;
      this.#installed = { value: wrapper };
      try {
        this.#write(this.#installed);
      } catch (error) {
        // A `const` the loader could not rewrite (e.g. `const a = 1, b = 2; export { b }`).
        throw notPatchable(
          apiName,
          key,
          'the export is a `const` binding the loader could not make assignable; declare it with `let`, `function`, or its own `export const` line',
          error,
        );
      }
      return;
    }
    const own = objectGetOwnPropertyDescriptor(target, key);
    this.#original = own;
    this.#proto = objectGetPrototypeOf(target) as object | null;
    const wrapper = createWrapper(this, reflectGet(target, key) as Function);
    const replacement = replacementFor(target, key, own, wrapper, apiName);
    this.resolve = replacement.resolve;
    this.constantOriginal = replacement.constantOriginal;
    try {
      objectDefineProperty(target, key, replacement.descriptor);
    } catch (error) {
      throw notPatchable(apiName, key, 'the target refused the new property definition', error);
    }
    this.#installed = replacement.descriptor;
  }

  /** The property as it is now (an export binding reads as a data property). */
  #read(): PropertyDescriptor | undefined {
    if (this.#binding !== undefined) return { value: this.#binding.get() };
    return objectGetOwnPropertyDescriptor(this.target, this.key);
  }

  #write(descriptor: PropertyDescriptor): void {
    if (this.#binding !== undefined) this.#binding.set(descriptor.value);
    else objectDefineProperty(this.target, this.key, descriptor);
  }

  /** False once something else redefined or deleted the property after this patch. */
  isInstalled(): boolean {
    const now = this.#read();
    if (now === undefined) return false;
    return 'value' in this.#installed
      ? now.value === this.#installed.value
      : now.get === this.#installed.get;
  }

  /**
   * Puts this patch back after its last hook was removed, when the property is still exactly
   * what it restored: reusing the wrapper makes hooks that come and go (explore's points, one
   * set per schedule) cheap. Returns false when the property changed since.
   */
  reinstall(): boolean {
    if (this.#active || this.#superseded) return false;
    const now = this.#read();
    const was = this.#original;
    const same =
      was === undefined
        ? now === undefined && objectGetPrototypeOf(this.target) === this.#proto
        : now !== undefined &&
          now.value === was.value &&
          now.get === was.get &&
          now.set === was.set &&
          now.writable === was.writable &&
          now.enumerable === was.enumerable &&
          now.configurable === was.configurable;
    if (!same) return false;
    this.#write(this.#installed);
    this.#active = true;
    return true;
  }

  /** Puts the original back if no hook is left (after `remove(hook, true)`). */
  releaseIfIdle(): void {
    if (this.hooks.length === 0 && this.#active) this.#putBack();
  }

  /** Forgets the property (someone replaced it): the hooks stay, restoring touches nothing. */
  supersede(): void {
    this.#superseded = true;
  }

  add(hook: SiteHook): void {
    const hooks = arraySlice(this.hooks);
    hooks[hooks.length] = hook;
    this.hooks = hooks;
  }

  /**
   * Removes `hook`; when it was the last one, puts the original descriptor back, unless
   * `keepInstalled` (the wrapper then passes every call through until `releaseIfIdle()`).
   */
  remove(hook: SiteHook, keepInstalled = false): void {
    this.hooks = arrayFilter(this.hooks, (h) => h !== hook);
    if (this.hooks.length > 0 || !this.#active || keepInstalled) return;
    this.#putBack();
  }

  #putBack(): void {
    this.#active = false;
    if (this.#superseded || !this.isInstalled()) {
      // Leave a replacement in place, and never reuse this patch.
      this.#superseded = true;
      const byKey = weakMapGet(patches, this.target);
      if (byKey !== undefined && mapGet(byKey, this.key) === this) mapDelete(byKey, this.key);
      return;
    }
    if (this.#original === undefined) {
      reflectDeleteProperty(this.target, this.key);
    } else {
      this.#write(this.#original);
    }
  }
}

const patches = new WeakMap<object, Map<PropertyKey, Patch>>();
/** Patches of ES module export bindings: export names that alias one local share one. */
const bindingPatches = new WeakMap<Binding, Patch>();

/** The patch on `target[key]`, creating (and installing) it on first use. */
export function patchFor(target: object, key: PropertyKey, apiName: string): Patch {
  let byKey = weakMapGet(patches, target);
  const existing = byKey === undefined ? undefined : mapGet(byKey, key);
  if (existing?.isInstalled() === true || existing?.reinstall() === true) return existing;
  // The property was replaced since (e.g. `obj.method = mock`): hook the new value instead.
  existing?.supersede();
  // A real namespace's bindings are non-configurable. Some runners (Vitest) hand tests a
  // namespace-like object with configurable getters instead: that one is patched as usual.
  // A module instrumented by interleave/register is patched through its export's binding.
  let binding: Binding | undefined;
  if (
    isModuleNamespace(target) &&
    objectGetOwnPropertyDescriptor(target, key)?.configurable !== true
  ) {
    binding = bindingOf(target, key);
    if (binding === undefined) throw esmNotPatchable(apiName, key, target);
    const shared = weakMapGet(bindingPatches, binding);
    if (shared?.isInstalled() === true || shared?.reinstall() === true) return shared;
  }
  const patch = new Patch(target, key, apiName, binding);
  if (binding !== undefined) weakMapSet(bindingPatches, binding, patch);
  if (!byKey) {
    byKey = new Map();
    weakMapSet(patches, target, byKey);
  }
  mapSet(byKey, key, patch);
  return patch;
}

function isModuleNamespace(target: object): boolean {
  return objectToString(target) === '[object Module]';
}
