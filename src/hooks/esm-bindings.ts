/**
 * The exports that interleave/register made patchable. Each instrumented module calls
 * `registerBindings` (the line the loader appends imports it from this very file) with its
 * namespace and a getter/setter pair per exported local binding.
 */

import { objectHasOwn, weakMapGet, weakMapHas, weakMapSet } from '../internal/intrinsics.ts';

/** Reads and writes one export's live binding, from inside its module. */
export interface Binding {
  get(): unknown;
  set(value: unknown): void;
}

interface Registry {
  readonly bindings: WeakMap<object, Readonly<Record<string, Binding>>>;
  active: boolean;
}

/**
 * Kept on a global symbol, not in this module: a process may hold two copies of interleave (a
 * TS loader mapping `interleave` to sources while the loader runs the build, two installed
 * versions), and an export registered through one must be patchable through the other.
 */
const KEY = Symbol.for('interleave.esm.registry');
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[KEY] ??= {
  bindings: new WeakMap(),
  active: false,
});

/** Called by instrumented modules once their own code has run. */
export function registerBindings(namespace: object, bindings: Record<string, Binding>): void {
  weakMapSet(registry.bindings, namespace, bindings);
}

/** Called by interleave/register when it installs its loader hooks. */
export function markRegisterActive(): void {
  registry.active = true;
}

/** Whether interleave/register runs in this process. */
export function isRegisterActive(): boolean {
  return registry.active;
}

/** True when `namespace` belongs to a module instrumented by interleave/register. */
export function hasBindings(namespace: object): boolean {
  return weakMapHas(registry.bindings, namespace);
}

/**
 * The binding of `namespace[key]`, if its module was instrumented and the export is one of its
 * own locals. Export names that alias one local share one binding.
 */
export function bindingOf(namespace: object, key: PropertyKey): Binding | undefined {
  if (typeof key !== 'string') return undefined;
  const bindings = weakMapGet(registry.bindings, namespace);
  return bindings !== undefined && objectHasOwn(bindings, key) ? bindings[key] : undefined;
}
