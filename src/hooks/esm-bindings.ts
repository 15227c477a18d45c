/**
 * The exports that interleave/register made patchable. Each instrumented module registers,
 * under a global symbol (shared with the code its loader appends), a getter and a setter per
 * assignable export, keyed by its namespace object.
 */

/** Reads and writes one export's live binding, from inside its module. */
export interface Binding {
  get(): unknown;
  set(value: unknown): void;
}

/** Must match BINDINGS_KEY in src/register/instrument.ts (the appended code uses it). */
const KEY = Symbol.for('interleave.esm.bindings');

function registry(): WeakMap<object, Record<string, Binding>> | undefined {
  return (globalThis as Record<symbol, WeakMap<object, Record<string, Binding>> | undefined>)[KEY];
}

/** True when `namespace` belongs to a module instrumented by interleave/register. */
export function hasBindings(namespace: object): boolean {
  return registry()?.has(namespace) === true;
}

/** The binding of `namespace[key]`, if its module was instrumented and the export is assignable. */
export function bindingOf(namespace: object, key: PropertyKey): Binding | undefined {
  if (typeof key !== 'string') return undefined;
  const bindings = registry()?.get(namespace);
  return bindings !== undefined && Object.hasOwn(bindings, key) ? bindings[key] : undefined;
}
