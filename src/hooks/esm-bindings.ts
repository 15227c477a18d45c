/**
 * The exports that interleave/register made patchable. Each instrumented module calls
 * `registerBindings` (the line the loader appends imports it from this very file) with its
 * namespace, the export names of each exported local binding, and a function that assigns
 * the local of a given index (see `register/instrument.ts`).
 */
import { channel, hasSubscribers, subscribe } from 'node:diagnostics_channel';
import {
  arrayIsArray,
  mapGet,
  mapSet,
  reflectGet,
  weakMapGet,
  weakMapHas,
  weakMapSet,
} from '../internal/intrinsics.ts';

/** Reads and writes one export's live binding, from inside its module. */
export interface Binding {
  get(): unknown;
  set(value: unknown): void;
}

/** The export names of one local: one name, or several that alias it. */
type LocalNames = string | readonly string[];

/** One instrumented module's bindings, made on first use (a module may export thousands). */
interface BindingTable {
  binding(name: string): Binding | undefined;
}

interface Registry {
  readonly bindings: WeakMap<object, BindingTable>;
  active: boolean;
}

/**
 * Shared by every copy of interleave in the process (a TS loader mapping `interleave` to
 * sources while the loader runs the build, two installed versions): an export registered
 * through one must be patchable through the other. The first copy to load makes the
 * registry and answers, on a diagnostics channel (process-wide by name, as it is made for
 * several copies of a module), every copy that loads later; nothing is added to
 * `globalThis`. The channel's name carries the registry's version: a copy that keeps it
 * differently asks on another channel.
 */
const CHANNEL = 'interleave:esm-registry:v2';

function sharedRegistry(): Registry {
  const request: { registry?: Registry } = {};
  if (hasSubscribers(CHANNEL)) channel(CHANNEL).publish(request);
  if (request.registry !== undefined) return request.registry;
  const registry: Registry = { bindings: new WeakMap(), active: false };
  subscribe(CHANNEL, (message) => {
    (message as { registry?: Registry }).registry ??= registry;
  });
  return registry;
}

const registry = sharedRegistry();

/**
 * Called by instrumented modules once their own code has run: `locals[i]` are the export
 * names of local `i`, and `assign(i, value)` sets it.
 */
export function registerBindings(
  namespace: object,
  locals: readonly LocalNames[],
  assign: (index: number, value: unknown) => void,
): void {
  weakMapSet(registry.bindings, namespace, new Table(namespace, locals, assign));
}

class Table implements BindingTable {
  readonly #namespace: object;
  readonly #locals: readonly LocalNames[];
  readonly #assign: (index: number, value: unknown) => void;
  /** Export name to local index, built on the first lookup. */
  #indexes: Map<string, number> | undefined;
  /** One binding per local, so that export names that alias one local share it. */
  readonly #made = new Map<number, Binding>();

  constructor(
    namespace: object,
    locals: readonly LocalNames[],
    assign: (index: number, value: unknown) => void,
  ) {
    this.#namespace = namespace;
    this.#locals = locals;
    this.#assign = assign;
  }

  binding(name: string): Binding | undefined {
    this.#indexes ??= indexesOf(this.#locals);
    const index = mapGet(this.#indexes, name);
    if (index === undefined) return undefined;
    let made = mapGet(this.#made, index);
    if (made === undefined) {
      const namespace = this.#namespace;
      const assign = this.#assign;
      // The namespace's property is the live binding: reading it reads the local.
      made = {
        get: () => reflectGet(namespace, name) as unknown,
        set: (value) => {
          assign(index, value);
        },
      };
      mapSet(this.#made, index, made);
    }
    return made;
  }
}

function indexesOf(locals: readonly LocalNames[]): Map<string, number> {
  const indexes = new Map<string, number>();
  for (let i = 0; i < locals.length; i++) {
    const names = locals[i] as LocalNames;
    if (!arrayIsArray(names)) mapSet(indexes, names as string, i);
    else for (let j = 0; j < names.length; j++) mapSet(indexes, names[j] as string, i);
  }
  return indexes;
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
  return weakMapGet(registry.bindings, namespace)?.binding(key);
}
